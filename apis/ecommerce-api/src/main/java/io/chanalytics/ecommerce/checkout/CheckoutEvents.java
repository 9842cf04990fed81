package io.chanalytics.ecommerce.checkout;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** A checkout began, whatever its outcome (reported by the order as placed or failed). */
@Component
class CheckoutEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;

    CheckoutEvents(EventPublisher publisher, ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    void started(Caller caller, int cartItemsCount) {
        publisher.publish(CallerBusinessEvents.start(BusinessEventType.CHECKOUT_STARTED, caller, identity)
                .setCartItemsCount(cartItemsCount)
                .build());
    }
}
