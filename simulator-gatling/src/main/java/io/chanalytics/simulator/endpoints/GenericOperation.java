package io.chanalytics.simulator.endpoints;

import static io.chanalytics.simulator.endpoints.HttpMethod.DELETE;
import static io.chanalytics.simulator.endpoints.HttpMethod.GET;

import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request on a path the simulator has no Java for, added by editing {@code config.yaml} alone. Only methods without
 * a body can be sent this way ({@link #METHODS}): a body needs to know the endpoint. Each {@code {placeholder}} is
 * filled with an id from the run's data, chosen by the path segment before it ({@code /users/{id}}: a user id).
 */
public record GenericOperation(Service service, HttpMethod method, String path) implements Route {

    /** The methods a path the simulator does not know may use. */
    public static final Set<HttpMethod> METHODS = Set.of(GET, DELETE);

    /** A path starting with {@code /}, without spaces, whose braces only enclose placeholder names. */
    static final Pattern TEMPLATE = Pattern.compile("/[^\\s{}]*(\\{\\w+}[^\\s{}]*)*");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\w+}");

    public static boolean isValidTemplate(String path) {
        return TEMPLATE.matcher(path).matches();
    }

    /**
     * The path with each placeholder replaced by {@code idFor} applied to the segment just before it ({@code users}
     * for {@code /users/{id}/orders}; empty when the placeholder starts the path).
     */
    public String fill(Function<String, String> idFor) {
        Matcher placeholder = PLACEHOLDER.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (placeholder.find()) {
            String collection = segmentBefore(path.substring(0, placeholder.start()));
            placeholder.appendReplacement(filled, Matcher.quoteReplacement(idFor.apply(collection)));
        }
        placeholder.appendTail(filled);
        return filled.toString();
    }

    /** {@code users} for {@code /users/}; empty for a placeholder inside a segment or at the start of the path. */
    private static String segmentBefore(String prefix) {
        if (!prefix.endsWith("/")) {
            return "";
        }
        String parent = prefix.substring(0, prefix.length() - 1);
        return parent.substring(parent.lastIndexOf('/') + 1);
    }
}
