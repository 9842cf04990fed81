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

    /** The known operation for this method and path if there is one, otherwise a generic one. */
    static Route of(Service service, HttpMethod method, String path) {
        return Operation.find(method, path)
                .<Route>map(operation -> operation)
                .orElseGet(() -> new GenericOperation(service, method, path));
    }
}
