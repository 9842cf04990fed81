package io.chanalytics.ecommerce.order;

import io.chanalytics.ecommerce.catalog.CatalogUnavailable;

/** Why an order was refused, as reported in the problem body ({@code reason}) and the ORDER_FAILED event. */
public enum OrderFailure {
    EMPTY_CART,
    OUT_OF_STOCK,
    PRODUCT_NOT_FOUND,
    CATALOG_UNAVAILABLE,
    INTERNAL_ERROR;

    /** The reason a failed placement carries in its type; {@code INTERNAL_ERROR} for anything unexpected. */
    static OrderFailure of(Throwable error) {
        if (error instanceof OrderRefused refused) {
            return refused.reason();
        }
        if (error instanceof CatalogUnavailable) {
            return CATALOG_UNAVAILABLE;
        }
        return INTERNAL_ERROR;
    }
}
