package io.chanalytics.ecommerce.checkout;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.ecommerce.cart.CartItem;
import io.chanalytics.ecommerce.cart.CartRepository;
import io.chanalytics.ecommerce.order.OrderLine;
import io.chanalytics.ecommerce.order.OrderPlacement;
import io.chanalytics.ecommerce.order.OrderRefused;
import io.chanalytics.ecommerce.order.OrderView;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Cart to order in one transaction: lock the cart lines, take stock and price from the catalog, write the
 * order, empty the cart. A failure anywhere rolls all of it back.
 */
@Service
class CheckoutService {

    private final CartRepository carts;
    private final OrderPlacement placement;
    private final CheckoutEvents events;

    CheckoutService(CartRepository carts, OrderPlacement placement, CheckoutEvents events) {
        this.carts = carts;
        this.placement = placement;
        this.events = events;
    }

    Mono<OrderView> checkout(Caller caller) {
        String owner = caller.ownerKey();
        Mono<OrderView> checkout = carts.lockByOwner(owner).collectList().flatMap(items -> {
            events.started(caller, items.stream().mapToInt(CartItem::quantity).sum());
            if (items.isEmpty()) {
                return Mono.error(OrderRefused.emptyCart());
            }
            List<OrderLine> lines = items.stream()
                    .map(item -> new OrderLine(item.productId(), item.quantity()))
                    .toList();
            return placement
                    .place(caller, lines)
                    .flatMap(order -> carts.deleteByOwner(owner).thenReturn(order));
        });
        return placement.inTransaction(caller, checkout);
    }
}
