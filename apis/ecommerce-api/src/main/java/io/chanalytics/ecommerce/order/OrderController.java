package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.metrics.web.RequestTelemetry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(
        name = "Orders",
        description = "The signed-in caller's orders (with sign-in off: X-User-Id, or X-Session-Id when anonymous)")
@RestController
@RequestMapping("/orders")
class OrderController {

    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @Operation(summary = "The caller's orders, newest first")
    @GetMapping
    Mono<PageResponse<OrderView>> list(
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(PageResponse.MAX_SIZE) int size,
            Caller caller) {
        return orders.list(caller, page, size);
    }

    @Operation(summary = "Place an order directly, without the cart (emits ORDER_PLACED or ORDER_FAILED)")
    @PostMapping
    Mono<ResponseEntity<OrderView>> create(
            @Valid @RequestBody CreateOrderRequest request, Caller caller, RequestTelemetry telemetry) {
        return orders.placeDirect(caller, request).map(order -> {
            OrderTelemetry.record(telemetry, order);
            return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
        });
    }

    @Operation(summary = "One of the caller's orders (404 for another caller's order)")
    @GetMapping("/{id}")
    Mono<OrderView> get(@PathVariable @Positive long id, Caller caller) {
        return orders.find(caller, id);
    }
}
