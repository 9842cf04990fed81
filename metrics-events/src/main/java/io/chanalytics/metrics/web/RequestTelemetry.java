package io.chanalytics.metrics.web;

import org.springframework.web.server.ServerWebExchange;

/**
 * Business context a handler adds to the {@link io.chanalytics.events.RequestEvent} of the request it serves (the
 * product viewed, the order amount, ...). The filter attaches one per exchange; handlers fill what they know.
 */
public final class RequestTelemetry {

    static final String ATTRIBUTE = RequestTelemetry.class.getName();

    private volatile String productId;
    private volatile String productCategory;
    private volatile Double transactionAmount;
    private volatile Integer cartItemsCount;

    /** The holder of this exchange; a detached one (ignored) when the request is not being recorded. */
    public static RequestTelemetry of(ServerWebExchange exchange) {
        RequestTelemetry telemetry = exchange.getAttribute(ATTRIBUTE);
        return telemetry != null ? telemetry : new RequestTelemetry();
    }

    static RequestTelemetry attach(ServerWebExchange exchange) {
        var telemetry = new RequestTelemetry();
        exchange.getAttributes().put(ATTRIBUTE, telemetry);
        return telemetry;
    }

    public RequestTelemetry productId(String productId) {
        this.productId = productId;
        return this;
    }

    public RequestTelemetry productCategory(String productCategory) {
        this.productCategory = productCategory;
        return this;
    }

    public RequestTelemetry transactionAmount(Double transactionAmount) {
        this.transactionAmount = transactionAmount;
        return this;
    }

    public RequestTelemetry cartItemsCount(Integer cartItemsCount) {
        this.cartItemsCount = cartItemsCount;
        return this;
    }

    String productId() {
        return productId;
    }

    String productCategory() {
        return productCategory;
    }

    Double transactionAmount() {
        return transactionAmount;
    }

    Integer cartItemsCount() {
        return cartItemsCount;
    }
}
