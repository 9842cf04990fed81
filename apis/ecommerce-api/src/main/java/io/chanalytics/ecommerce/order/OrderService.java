package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.system.BusinessEvents;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

@Service
class OrderService {

    private final OrderPlacement placement;
    private final OrderRepository orders;
    private final BusinessEvents events;
    private final TransactionalOperator transaction;

    OrderService(
            OrderPlacement placement,
            OrderRepository orders,
            BusinessEvents events,
            ReactiveTransactionManager transactionManager) {
        this.placement = placement;
        this.orders = orders;
        this.events = events;
        this.transaction = TransactionalOperator.create(transactionManager);
    }

    Mono<OrderView> placeDirect(Caller caller, CreateOrderRequest request) {
        caller.ownerKey(); // an order needs an owner: fail before any event when there is none
        List<OrderLine> lines = request.items().stream()
                .map(item -> new OrderLine(item.productId(), item.quantity()))
                .toList();
        return transaction
                .transactional(placement.place(caller, lines))
                .doOnNext(order -> events.orderPlaced(caller, order))
                .doOnError(error -> events.orderFailed(caller, OrderFailure.of(error), error));
    }

    Mono<OrderView> find(Caller caller, long orderId) {
        // Another caller's order is reported as missing, not forbidden: its existence is not disclosed.
        return orders.find(caller.ownerKey(), orderId)
                .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("id", "No order " + orderId + " of yours")));
    }

    Mono<PageResponse<OrderView>> list(Caller caller, int page, int size) {
        return orders.findPage(caller.ownerKey(), page, size);
    }
}
