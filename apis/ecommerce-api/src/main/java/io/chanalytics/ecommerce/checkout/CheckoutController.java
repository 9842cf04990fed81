package io.chanalytics.ecommerce.checkout;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.ecommerce.order.OrderTelemetry;
import io.chanalytics.ecommerce.order.OrderView;
import io.chanalytics.metrics.web.RequestTelemetry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(name = "Checkout")
@RestController
class CheckoutController {

    private final CheckoutService checkout;

    CheckoutController(CheckoutService checkout) {
        this.checkout = checkout;
    }

    @Operation(
            summary = "Turn the caller's cart into an order",
            description = "Prices and stock come from the catalog at this moment; the stock is decremented"
                    + " atomically. 409 when a product is short, 422 when the cart is empty; nothing is written"
                    + " then. Emits CHECKOUT_STARTED, then ORDER_PLACED or ORDER_FAILED.")
    @PostMapping("/checkout")
    Mono<ResponseEntity<OrderView>> checkout(Caller caller, RequestTelemetry telemetry) {
        return checkout.checkout(caller).map(order -> {
            OrderTelemetry.record(telemetry, order);
            return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
        });
    }
}
