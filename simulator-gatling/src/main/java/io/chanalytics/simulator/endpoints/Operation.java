package io.chanalytics.simulator.endpoints;

import static io.chanalytics.simulator.endpoints.HttpMethod.DELETE;
import static io.chanalytics.simulator.endpoints.HttpMethod.GET;
import static io.chanalytics.simulator.endpoints.HttpMethod.POST;
import static io.chanalytics.simulator.endpoints.HttpMethod.PUT;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every request the simulator knows how to send realistically: with real ids in its path and a valid body, in an
 * order that makes sense (a cart is filled before checkout). A config entry on one of these paths must name one of
 * their methods; other paths run as a {@link GenericOperation}. The display name doubles as the Gatling request name.
 */
public enum Operation implements Route {
    LIST_USERS(Service.CRUD_API, GET, "/users"),
    REGISTER_USER(Service.CRUD_API, POST, "/users"),
    GET_USER(Service.CRUD_API, GET, "/users/{id}"),
    LIST_PRODUCTS(Service.CRUD_API, GET, "/products"),
    CREATE_PRODUCT(Service.CRUD_API, POST, "/products"),
    VIEW_PRODUCT(Service.CRUD_API, GET, "/products/{id}"),
    UPDATE_PRODUCT(Service.CRUD_API, PUT, "/products/{id}"),
    DELETE_PRODUCT(Service.CRUD_API, DELETE, "/products/{id}"),
    GENERATE_USERS(Service.CRUD_API, POST, "/demo/generate-users"),
    GENERATE_PRODUCTS(Service.CRUD_API, POST, "/demo/generate-products"),
    VIEW_CART(Service.ECOMMERCE_API, GET, "/cart"),
    ADD_TO_CART(Service.ECOMMERCE_API, POST, "/cart"),
    UPDATE_CART_ITEM(Service.ECOMMERCE_API, PUT, "/cart/{item_id}"),
    REMOVE_CART_ITEM(Service.ECOMMERCE_API, DELETE, "/cart/{item_id}"),
    CHECKOUT(Service.ECOMMERCE_API, POST, "/checkout"),
    LIST_ORDERS(Service.ECOMMERCE_API, GET, "/orders"),
    PLACE_ORDER(Service.ECOMMERCE_API, POST, "/orders"),
    GET_ORDER(Service.ECOMMERCE_API, GET, "/orders/{id}");

    private final Service service;
    private final HttpMethod method;
    private final String path;

    Operation(Service service, HttpMethod method, String path) {
        this.service = service;
        this.method = method;
        this.path = path;
    }

    @Override
    public Service service() {
        return service;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    public static Optional<Operation> find(HttpMethod method, String path) {
        return Arrays.stream(values())
                .filter(operation -> operation.method == method && operation.path.equals(path))
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
}
