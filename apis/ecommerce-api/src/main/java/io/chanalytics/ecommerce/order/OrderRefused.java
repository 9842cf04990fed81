package io.chanalytics.ecommerce.order;

import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.catalog.CatalogProduct;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A refused order or cart change, typed: the reason and the product travel with the exception, so the ORDER_FAILED
 * event is built from them rather than parsed back out of the response body. The body still carries both as
 * {@code reason} and {@code productId} for clients.
 */
public final class OrderRefused extends ApiProblem {

    private final OrderFailure reason;
    private final @Nullable Long productId;

    private OrderRefused(
            HttpStatus status, String field, String detail, OrderFailure reason, @Nullable Long productId) {
        super(status, field, detail);
        this.reason = reason;
        this.productId = productId;
        with("reason", reason.name());
        if (productId != null) {
            with("productId", productId);
        }
    }

    public static OrderRefused emptyCart() {
        return new OrderRefused(
                HttpStatus.UNPROCESSABLE_CONTENT, "cart", "Your cart is empty", OrderFailure.EMPTY_CART, null);
    }

    public static OrderRefused outOfStock(CatalogProduct product, int wanted) {
        return new OrderRefused(
                HttpStatus.CONFLICT,
                "quantity",
                "Only " + product.stock() + " of product " + product.id() + " in stock, " + wanted + " wanted",
                OrderFailure.OUT_OF_STOCK,
                product.id());
    }

    /** {@code field} is where the client named the product: {@code productId} in an order, {@code itemId} in a cart. */
    public static OrderRefused productNotFound(String field, long productId, String detail) {
        return new OrderRefused(
                HttpStatus.UNPROCESSABLE_CONTENT, field, detail, OrderFailure.PRODUCT_NOT_FOUND, productId);
    }

    public OrderFailure reason() {
        return reason;
    }

    public @Nullable Long productId() {
        return productId;
    }
}
