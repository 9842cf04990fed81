package io.chanalytics.ecommerce.order;

/** What to order: a product and a quantity. The price is never taken from the client. */
public record OrderLine(long productId, int quantity) {}
