package io.chanalytics.ecommerce.order;

import io.chanalytics.metrics.web.RequestTelemetry;

/** Puts a placed order's amount and size on the request's RequestEvent. */
public final class OrderTelemetry {

    private OrderTelemetry() {}

    public static void record(RequestTelemetry telemetry, OrderView order) {
        telemetry.transactionAmount(order.total().doubleValue()).cartItemsCount(order.itemsCount());
        if (order.items().size() == 1) {
            telemetry
                    .productId(Long.toString(order.items().getFirst().productId()))
                    .productCategory(order.items().getFirst().productCategory());
        }
    }
}
