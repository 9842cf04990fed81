package io.chanalytics.ecommerce.cart;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.events.BusinessEventType;
import org.springframework.stereotype.Component;

/** The business facts of cart changes; publishing never blocks or fails the request. */
@Component
class CartEvents {

    private final BusinessEventPublisher events;

    CartEvents(BusinessEventPublisher events) {
        this.events = events;
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
        events.publish(
                type,
                caller,
                event -> event.setProductId(Long.toString(change.productId()))
                        .setProductCategory(change.productCategory())
                        .setCartItemsCount(change.cartItemsCount())
                        .setQuantity(quantity));
    }
}
