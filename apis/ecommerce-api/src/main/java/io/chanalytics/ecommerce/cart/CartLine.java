package io.chanalytics.ecommerce.cart;

import java.math.BigDecimal;

/** A cart line priced from the catalog at the time of reading. */
public record CartLine(
        long itemId,
        long productId,
        String productName,
        String productCategory,
        BigDecimal unitPrice,
        int quantity,
        BigDecimal lineTotal,
        int inStock) {}
