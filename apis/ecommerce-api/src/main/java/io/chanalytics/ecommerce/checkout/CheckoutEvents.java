package io.chanalytics.ecommerce.checkout;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.events.BusinessEventType;
import org.springframework.stereotype.Component;

/** A checkout began, whatever its outcome (reported by the order as placed or failed). */
@Component
class CheckoutEvents {

    private final BusinessEventPublisher events;

    CheckoutEvents(BusinessEventPublisher events) {
        this.events = events;
    }

    void started(Caller caller, int cartItemsCount) {
        events.publish(BusinessEventType.CHECKOUT_STARTED, caller, event -> event.setCartItemsCount(cartItemsCount));
    }
}
