package io.chanalytics.ecommerce.cart;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts of cart changes; publishing never blocks or fails the request. */
@Component
class CartEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;

    CartEvents(EventPublisher publisher, ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    void added(Caller caller, CartChange change, int addedQuantity) {
        publish(BusinessEventType.CART_ITEM_ADDED, caller, change, addedQuantity);
    }

    void updated(Caller caller, CartChange change) {
        publish(BusinessEventType.CART_ITEM_UPDATED, caller, change, change.quantity());
    }

    void removed(Caller caller, CartChange change) {
        publish(BusinessEventType.CART_ITEM_REMOVED, caller, change, change.quantity());
    }

    private void publish(BusinessEventType type, Caller caller, CartChange change, int quantity) {
        BusinessEvent event = CallerBusinessEvents.start(type, caller, identity)
                .setProductId(Long.toString(change.productId()))
                .setProductCategory(change.productCategory())
                .setCartItemsCount(change.cartItemsCount())
                .setQuantity(quantity)
                .build();
        publisher.publish(event);
    }
}
