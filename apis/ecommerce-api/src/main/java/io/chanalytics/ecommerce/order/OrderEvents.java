package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.ecommerce.system.EcommerceProperties;
import io.chanalytics.events.BusinessEventType;
import org.springframework.stereotype.Component;

/** The business facts of orders: placed or refused; publishing never blocks or fails the request. */
@Component
class OrderEvents {

    private final BusinessEventPublisher events;
    private final EcommerceProperties properties;

    OrderEvents(BusinessEventPublisher events, EcommerceProperties properties) {
        this.events = events;
        this.properties = properties;
    }

    void placed(Caller caller, OrderView order) {
        events.publish(
                BusinessEventType.ORDER_PLACED,
                caller,
                event -> event.setOrderId(Long.toString(order.id()))
                        .setAmount(order.total())
                        .setCurrency(order.currency())
                        .setCartItemsCount(order.itemsCount())
                        .setQuantity(order.itemsCount()));
    }

    void failed(Caller caller, Throwable error) {
        events.publish(BusinessEventType.ORDER_FAILED, caller, event -> {
            event.setFailureReason(OrderFailure.of(error).name()).setCurrency(properties.currency());
            if (error instanceof OrderRefused refused && refused.productId() != null) {
                event.setProductId(refused.productId().toString());
            }
        });
    }
}
