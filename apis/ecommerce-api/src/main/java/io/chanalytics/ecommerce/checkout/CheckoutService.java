package io.chanalytics.ecommerce.checkout;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.cart.CartItem;
import io.chanalytics.ecommerce.cart.CartRepository;
import io.chanalytics.ecommerce.order.OrderFailure;
import io.chanalytics.ecommerce.order.OrderLine;
import io.chanalytics.ecommerce.order.OrderPlacement;
import io.chanalytics.ecommerce.order.OrderView;
import io.chanalytics.ecommerce.system.BusinessEvents;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Cart to order in one transaction: lock the cart lines, take stock and price from the catalogue, write the
 * order, empty the cart. A failure anywhere rolls all of it back.
 */
@Service
class CheckoutService {

    private final CartRepository carts;
    private final OrderPlacement placement;
    private final BusinessEvents events;
    private final TransactionalOperator transaction;

    CheckoutService(
            CartRepository carts,
            OrderPlacement placement,
            BusinessEvents events,
            ReactiveTransactionManager transactionManager) {
        this.carts = carts;
        this.placement = placement;
        this.events = events;
        this.transaction = TransactionalOperator.create(transactionManager);
    }

    Mono<OrderView> checkout(Caller caller) {
        String owner = caller.ownerKey();
        Mono<OrderView> checkout = carts.lockByOwner(owner).collectList().flatMap(items -> {
            events.checkoutStarted(
                    caller, items.stream().mapToInt(CartItem::quantity).sum());
            if (items.isEmpty()) {
                return Mono.error(OrderFailure.EMPTY_CART.tag(ApiProblem.unprocessable("cart", "Your cart is empty")));
            }
            List<OrderLine> lines = items.stream()
                    .map(item -> new OrderLine(item.productId(), item.quantity()))
                    .toList();
            return placement
                    .place(caller, lines)
                    .flatMap(order -> carts.deleteByOwner(owner).thenReturn(order));
        });
        return transaction
                .transactional(checkout)
                .doOnNext(order -> events.orderPlaced(caller, order))
                .doOnError(error -> events.orderFailed(caller, OrderFailure.of(error), error));
    }
}
