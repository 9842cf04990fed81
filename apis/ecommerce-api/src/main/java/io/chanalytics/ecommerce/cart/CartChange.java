package io.chanalytics.ecommerce.cart;

/**
 * The outcome of one cart change, for the response and the business event.
 *
 * @param quantity the line's quantity after the change (the removed quantity for a removal)
 * @param cartItemsCount units in the whole cart after the change
 */
public record CartChange(long itemId, long productId, String productCategory, int quantity, int cartItemsCount) {}
