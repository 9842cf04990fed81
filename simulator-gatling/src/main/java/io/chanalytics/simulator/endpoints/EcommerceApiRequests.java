package io.chanalytics.simulator.endpoints;

import static io.chanalytics.simulator.endpoints.Json.json;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.chanalytics.simulator.flows.DemoData;
import io.chanalytics.simulator.flows.Visitor;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request builders for the e-commerce API. The cart belongs to the caller's {@code X-User-Id}, set on every request
 * by the protocol. Adding a product already in the cart changes that line (same item id). Cart changes, checkout and
 * direct orders may be refused with 409 when a product is short of stock: that is a business outcome the analytics
 * must see (an ORDER_FAILED event after a checkout), not a simulator error.
 */
public final class EcommerceApiRequests {

    private final String baseUrl;
    private final DemoData demoData;

    public EcommerceApiRequests(String baseUrl, DemoData demoData) {
        this.baseUrl = baseUrl;
        this.demoData = demoData;
    }

    public HttpRequestActionBuilder viewCart() {
        return http(Operation.VIEW_CART.displayName()).get(baseUrl + "/cart").check(status().is(200));
    }

    /** Adds the product the visitor just viewed (or a catalogue product) to the cart; keeps the new item's id. */
    public HttpRequestActionBuilder addToCart() {
        return http(Operation.ADD_TO_CART.displayName())
                .post(baseUrl + "/cart")
                .body(StringBody(session -> json(CartLine.of(
                        productToAdd(session), 1 + ThreadLocalRandom.current().nextInt(3)))))
                .asJson()
                .check(status().in(201, 409))
                .check(jsonPath("$.itemId").optional().saveAs(Visitor.LAST_CREATED_ID));
    }

    public HttpRequestActionBuilder updateCartItem() {
        return http(Operation.UPDATE_CART_ITEM.displayName())
                .put(session -> baseUrl + "/cart/" + Visitor.last(session, Visitor.CART_ITEMS))
                .body(StringBody(session ->
                        json(new QuantityChange(1 + ThreadLocalRandom.current().nextInt(4)))))
                .asJson()
                .check(status().in(200, 409));
    }

    public HttpRequestActionBuilder removeCartItem() {
        return http(Operation.REMOVE_CART_ITEM.displayName())
                .delete(session -> baseUrl + "/cart/" + Visitor.last(session, Visitor.CART_ITEMS))
                .check(status().is(204));
    }

    public HttpRequestActionBuilder checkout() {
        return http(Operation.CHECKOUT.displayName())
                .post(baseUrl + "/checkout")
                .check(status().in(201, 409))
                .check(jsonPath("$.id").optional().saveAs(Visitor.LAST_CREATED_ID));
    }

    public HttpRequestActionBuilder listOrders() {
        return http(Operation.LIST_ORDERS.displayName())
                .get(baseUrl + "/orders")
                .queryParam("size", "20")
                .check(status().is(200))
                .check(jsonPath("$.content[*].id").findAll().optional().saveAs(Visitor.ORDERS));
    }

    /** A direct order of one or two catalogue products, without going through the cart. */
    public HttpRequestActionBuilder placeOrder() {
        return http(Operation.PLACE_ORDER.displayName())
                .post(baseUrl + "/orders")
                .body(StringBody(session -> {
                    String first = demoData.randomProduct().id();
                    String second = demoData.randomProduct().id();
                    List<CartLine> items = first.equals(second)
                            ? List.of(CartLine.of(first, 2))
                            : List.of(CartLine.of(first, 1), CartLine.of(second, 1));
                    return json(new NewOrder(items));
                }))
                .asJson()
                .check(status().in(201, 409))
                .check(jsonPath("$.id").optional().saveAs(Visitor.LAST_CREATED_ID));
    }

    public HttpRequestActionBuilder getOrder() {
        return http(Operation.GET_ORDER.displayName())
                .get(session -> baseUrl + "/orders/" + Visitor.last(session, Visitor.ORDERS))
                .check(status().is(200));
    }

    private String productToAdd(Session session) {
        if (session.contains(Visitor.LAST_VIEWED_PRODUCT)) {
            return session.getString(Visitor.LAST_VIEWED_PRODUCT);
        }
        return demoData.randomProduct().id();
    }

    /**
     * One product and its quantity, the body of {@code POST /cart} and a line of {@code POST /orders}.
     *
     * @param productId a number or a string, see {@link Json#id}
     */
    record CartLine(Object productId, int quantity) {

        static CartLine of(String productId, int quantity) {
            return new CartLine(Json.id(productId), quantity);
        }
    }

    /** The body of {@code PUT /cart/{item_id}}. */
    record QuantityChange(int quantity) {}

    /** The body of {@code POST /orders}: a direct order, without the cart. */
    record NewOrder(List<CartLine> items) {}
}
