package io.chanalytics.ecommerce.order;

import java.math.BigDecimal;

public record OrderItemView(
        long productId,
        String productName,
        String productCategory,
        BigDecimal unitPrice,
        int quantity,
        BigDecimal lineTotal) {}
