package io.chanalytics.crud.system;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.crud.product.Product;
import io.chanalytics.crud.user.User;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts the CRUD API reports; publishing never blocks or fails the request. */
@Component
public class BusinessEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;

    public BusinessEvents(EventPublisher publisher, ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    public void productViewed(Product product, Caller caller) {
        publisher.publish(base(BusinessEventType.PRODUCT_VIEWED, caller)
                .setProductId(Long.toString(product.id()))
                .setProductCategory(product.category())
                .build());
    }

    /** The new user's id, not the caller's header, identifies who registered. */
    public void userRegistered(User user, Caller caller) {
        publisher.publish(base(BusinessEventType.USER_REGISTERED, caller)
                .setUserId(Long.toString(user.id()))
                .setRegion(user.region())
                .build());
    }

    private BusinessEvent.Builder base(BusinessEventType type, Caller caller) {
        return CallerBusinessEvents.start(type, caller, identity);
    }
}
