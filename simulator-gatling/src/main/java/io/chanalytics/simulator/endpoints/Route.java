package io.chanalytics.simulator.endpoints;

/**
 * A method and path template of one service, what a config entry's methods resolve to: a known {@link Operation}
 * (realistic ids and bodies, written in Java) or a {@link GenericOperation} (a GET or DELETE on any other path).
 */
public sealed interface Route permits Operation, GenericOperation {

    Service service();

    HttpMethod method();

    String path();

    /** Gatling request name, e.g. {@code GET /products/{id}}, so the report reads like the route templates. */
    default String displayName() {
        return method() + " " + path();
    }

    /**
     * Whether the APIs give this route to the {@code admin} role only (their access rules, api-support's AccessRules):
     * the user directory, demo data and product writes. The simulator sends these with the realm's admin's token,
     * the rest with the visitor's own.
     */
    default boolean needsAdmin() {
        String path = path();
        if (path.equals("/users/me")) {
            return false;
        }
        if (path.startsWith("/demo/") || path.equals("/users") || path.startsWith("/users/")) {
            return true;
        }
        return path.startsWith("/products") && method() != HttpMethod.GET && method() != HttpMethod.HEAD;
    }

    /** The known operation for this method and path if there is one, otherwise a generic one. */
    static Route of(Service service, HttpMethod method, String path) {
        return Operation.find(method, path)
                .<Route>map(operation -> operation)
                .orElseGet(() -> new GenericOperation(service, method, path));
    }
}
