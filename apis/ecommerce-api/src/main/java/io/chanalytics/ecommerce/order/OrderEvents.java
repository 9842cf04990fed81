package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.ecommerce.system.EcommerceProperties;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts of orders: placed or refused; publishing never blocks or fails the request. */
@Component
class OrderEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;
    private final EcommerceProperties properties;

    OrderEvents(EventPublisher publisher, ServiceIdentity identity, EcommerceProperties properties) {
        this.publisher = publisher;
        this.identity = identity;
        this.properties = properties;
    }

    void placed(Caller caller, OrderView order) {
        publisher.publish(CallerBusinessEvents.start(BusinessEventType.ORDER_PLACED, caller, identity)
                .setOrderId(Long.toString(order.id()))
                .setAmount(order.total())
                .setCurrency(order.currency())
                .setCartItemsCount(order.itemsCount())
                .setQuantity(order.itemsCount())
                .build());
    }

    void failed(Caller caller, Throwable error) {
        BusinessEvent.Builder event = CallerBusinessEvents.start(BusinessEventType.ORDER_FAILED, caller, identity)
                .setFailureReason(OrderFailure.of(error).name())
                .setCurrency(properties.currency());
        if (error instanceof OrderRefused refused && refused.productId() != null) {
            event.setProductId(refused.productId().toString());
        }
        publisher.publish(event.build());
    }
}
