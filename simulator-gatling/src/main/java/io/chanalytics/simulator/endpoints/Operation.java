package io.chanalytics.simulator.endpoints;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every request the simulator knows how to send realistically: with real ids in its path and a valid body. A config
 * entry names a path and methods; each pair must be one of these. The display name doubles as the Gatling request
 * name, so the report reads like the services' route templates.
 */
public enum Operation {
    LIST_USERS(Service.CRUD_API, "GET", "/users"),
    REGISTER_USER(Service.CRUD_API, "POST", "/users"),
    GET_USER(Service.CRUD_API, "GET", "/users/{id}"),
    LIST_PRODUCTS(Service.CRUD_API, "GET", "/products"),
    CREATE_PRODUCT(Service.CRUD_API, "POST", "/products"),
    VIEW_PRODUCT(Service.CRUD_API, "GET", "/products/{id}"),
    UPDATE_PRODUCT(Service.CRUD_API, "PUT", "/products/{id}"),
    DELETE_PRODUCT(Service.CRUD_API, "DELETE", "/products/{id}"),
    GENERATE_USERS(Service.CRUD_API, "POST", "/demo/generate-users"),
    GENERATE_PRODUCTS(Service.CRUD_API, "POST", "/demo/generate-products"),
    VIEW_CART(Service.ECOMMERCE_API, "GET", "/cart"),
    ADD_TO_CART(Service.ECOMMERCE_API, "POST", "/cart"),
    UPDATE_CART_ITEM(Service.ECOMMERCE_API, "PUT", "/cart/{item_id}"),
    REMOVE_CART_ITEM(Service.ECOMMERCE_API, "DELETE", "/cart/{item_id}"),
    CHECKOUT(Service.ECOMMERCE_API, "POST", "/checkout"),
    LIST_ORDERS(Service.ECOMMERCE_API, "GET", "/orders"),
    PLACE_ORDER(Service.ECOMMERCE_API, "POST", "/orders"),
    GET_ORDER(Service.ECOMMERCE_API, "GET", "/orders/{id}");

    public static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

    private final Service service;
    private final String method;
    private final String path;

    Operation(Service service, String method, String path) {
        this.service = service;
        this.method = method;
        this.path = path;
    }

    public Service service() {
        return service;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Gatling request name, e.g. {@code GET /products/{id}}. */
    public String displayName() {
        return method + " " + path;
    }

    public static Optional<Operation> find(String method, String path) {
        return Arrays.stream(values())
                .filter(operation -> operation.method.equals(method) && operation.path.equals(path))
                .findFirst();
    }

    public static List<Operation> forPath(String path) {
        return Arrays.stream(values())
                .filter(operation -> operation.path.equals(path))
                .toList();
    }

    public static List<String> knownPaths(Service service) {
        return Arrays.stream(values())
                .filter(operation -> operation.service == service)
                .map(Operation::path)
                .distinct()
                .toList();
    }

    /** The services the operations belong to, by their key under {@code endpoints} in the YAML. */
    public enum Service {
        CRUD_API("crud_api"),
        ECOMMERCE_API("ecommerce_api");

        private final String key;

        Service(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Optional<Service> byKey(String key) {
            return Arrays.stream(values())
                    .filter(service -> service.key.equals(key))
                    .findFirst();
        }
    }
}
