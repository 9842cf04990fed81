package io.chanalytics.ecommerce.cart;

/** One line of a cart as stored: which product and how many. Prices are looked up, never stored here. */
public record CartItem(long id, long productId, int quantity) {

    /** Units of one product a cart line may hold. */
    public static final int MAX_QUANTITY = 100;
}
