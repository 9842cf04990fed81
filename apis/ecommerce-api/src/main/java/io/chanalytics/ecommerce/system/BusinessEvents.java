package io.chanalytics.ecommerce.system;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.cart.CartChange;
import io.chanalytics.ecommerce.order.OrderFailure;
import io.chanalytics.ecommerce.order.OrderView;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts of the shop; publishing never blocks or fails the request. */
@Component
public class BusinessEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;
    private final EcommerceProperties properties;

    public BusinessEvents(EventPublisher publisher, ServiceIdentity identity, EcommerceProperties properties) {
        this.publisher = publisher;
        this.identity = identity;
        this.properties = properties;
    }

    public void cartItemAdded(Caller caller, CartChange change, int addedQuantity) {
        publisher.publish(cart(BusinessEventType.CART_ITEM_ADDED, caller, change)
                .setQuantity(addedQuantity)
                .build());
    }

    public void cartItemUpdated(Caller caller, CartChange change) {
        publisher.publish(cart(BusinessEventType.CART_ITEM_UPDATED, caller, change)
                .setQuantity(change.quantity())
                .build());
    }

    public void cartItemRemoved(Caller caller, CartChange change) {
        publisher.publish(cart(BusinessEventType.CART_ITEM_REMOVED, caller, change)
                .setQuantity(change.quantity())
                .build());
    }

    public void checkoutStarted(Caller caller, int cartItemsCount) {
        publisher.publish(base(BusinessEventType.CHECKOUT_STARTED, caller)
                .setCartItemsCount(cartItemsCount)
                .build());
    }

    public void orderPlaced(Caller caller, OrderView order) {
        publisher.publish(base(BusinessEventType.ORDER_PLACED, caller)
                .setOrderId(Long.toString(order.id()))
                .setAmount(order.total())
                .setCurrency(order.currency())
                .setCartItemsCount(order.itemsCount())
                .setQuantity(order.itemsCount())
                .build());
    }

    public void orderFailed(Caller caller, OrderFailure reason, Throwable error) {
        BusinessEvent.Builder event = base(BusinessEventType.ORDER_FAILED, caller)
                .setFailureReason(reason.name())
                .setCurrency(properties.currency());
        if (error instanceof ApiProblem problem
                && problem.getBody().getProperties() != null
                && problem.getBody().getProperties().get("productId") != null) {
            event.setProductId(
                    problem.getBody().getProperties().get("productId").toString());
        }
        publisher.publish(event.build());
    }

    private BusinessEvent.Builder cart(BusinessEventType type, Caller caller, CartChange change) {
        return base(type, caller)
                .setProductId(Long.toString(change.productId()))
                .setProductCategory(change.productCategory())
                .setCartItemsCount(change.cartItemsCount());
    }

    private BusinessEvent.Builder base(BusinessEventType type, Caller caller) {
        return CallerBusinessEvents.start(type, caller, identity);
    }
}
