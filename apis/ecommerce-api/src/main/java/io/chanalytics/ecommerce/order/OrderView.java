package io.chanalytics.ecommerce.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** @param itemsCount units ordered (the sum of the items' quantities) */
public record OrderView(
        long id,
        String status,
        BigDecimal total,
        String currency,
        int itemsCount,
        Instant createdAt,
        List<OrderItemView> items) {

    public static final String PLACED = "PLACED";
}
