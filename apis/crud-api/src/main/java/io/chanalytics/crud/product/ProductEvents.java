package io.chanalytics.crud.product;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts about products; publishing never blocks or fails the request. */
@Component
class ProductEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;

    ProductEvents(EventPublisher publisher, ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    void viewed(Product product, Caller caller) {
        publisher.publish(CallerBusinessEvents.start(BusinessEventType.PRODUCT_VIEWED, caller, identity)
                .setProductId(Long.toString(product.id()))
                .setProductCategory(product.category())
                .build());
    }
}
