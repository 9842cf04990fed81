package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.api.problem.ApiProblem;
import java.util.List;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
class OrderService {

    private final OrderPlacement placement;
    private final OrderRepository orders;

    OrderService(OrderPlacement placement, OrderRepository orders) {
        this.placement = placement;
        this.orders = orders;
    }

    Mono<OrderView> placeDirect(Caller caller, CreateOrderRequest request) {
        caller.ownerKey(); // an order needs an owner: fail before any event when there is none
        List<OrderLine> lines = request.items().stream()
                .map(item -> new OrderLine(item.productId(), item.quantity()))
                .toList();
        return placement.inTransaction(caller, placement.place(caller, lines));
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
