package io.chanalytics.crud.product;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.events.BusinessEventType;
import org.springframework.stereotype.Component;

/** The business facts about products; publishing never blocks or fails the request. */
@Component
class ProductEvents {

    private final BusinessEventPublisher events;

    ProductEvents(BusinessEventPublisher events) {
        this.events = events;
    }

    void viewed(Product product, Caller caller) {
        events.publish(
                BusinessEventType.PRODUCT_VIEWED,
                caller,
                event -> event.setProductId(Long.toString(product.id())).setProductCategory(product.category()));
    }
}
