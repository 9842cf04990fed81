package io.chanalytics.simulator.endpoints;

import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.chanalytics.simulator.flows.DemoData;
import io.chanalytics.simulator.flows.Visitor;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Requests for the {@link GenericOperation}s of the config: the path's placeholders filled with real ids, no body.
 * A placeholder right after {@code /users/} gets the visitor's own user id (the {@code X-User-Id} it sends); any other
 * a product id, one this session listed or else one of the catalogue's. Any 2xx is a success. A DELETE may also
 * answer 404: the ids come from data every session shares, so another session may have deleted the item first, and an
 * idempotent DELETE's 404 is then the expected answer. A GET's 404 stays a KO: the ids were real when the run started,
 * so it points at a wrong path (or ids of another kind) the report should show.
 */
public final class GenericRequests {

    static final String USERS = "users";

    private static final List<Integer> SUCCESS =
            IntStream.range(200, 300).boxed().toList();
    private static final List<Integer> SUCCESS_OR_ALREADY_GONE = IntStream.concat(
                    IntStream.range(200, 300), IntStream.of(404))
            .boxed()
            .toList();

    private final DemoData demoData;

    public GenericRequests(DemoData demoData) {
        this.demoData = demoData;
    }

    public HttpRequestActionBuilder request(String baseUrl, GenericOperation operation) {
        Function<Session, String> url = session -> baseUrl
                + path(operation, session.getString(Visitor.USER_ID), Visitor.list(session, Visitor.LISTED_PRODUCTS));
        return switch (operation.method()) {
            case GET -> http(operation.displayName()).get(url).check(status().in(SUCCESS));
            case DELETE -> http(operation.displayName()).delete(url).check(status().in(SUCCESS_OR_ALREADY_GONE));
            default ->
                throw new IllegalArgumentException(operation.method() + " needs a body: not a generic operation");
        };
    }

    /** The operation's path with its placeholders filled for a visitor acting as {@code userId}. */
    String path(GenericOperation operation, String userId, List<String> listedProducts) {
        return operation.fill(collection -> USERS.equals(collection) ? userId : productId(listedProducts));
    }

    private String productId(List<String> listedProducts) {
        if (!listedProducts.isEmpty()) {
            return listedProducts.get(ThreadLocalRandom.current().nextInt(listedProducts.size()));
        }
        return demoData.randomProduct().id();
    }
}
