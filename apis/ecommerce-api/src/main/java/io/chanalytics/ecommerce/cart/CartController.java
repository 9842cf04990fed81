package io.chanalytics.ecommerce.cart;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.metrics.web.RequestTelemetry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(
        name = "Cart",
        description = "The signed-in caller's cart (with sign-in off: X-User-Id, or X-Session-Id when anonymous)")
@RestController
@RequestMapping("/cart")
class CartController {

    private final CartService carts;

    CartController(CartService carts) {
        this.carts = carts;
    }

    @Operation(summary = "The cart, priced from the catalog now")
    @GetMapping
    Mono<CartView> view(Caller caller, RequestTelemetry telemetry) {
        return carts.view(caller).doOnNext(cart -> telemetry.cartItemsCount(cart.itemsCount()));
    }

    @Operation(summary = "Add a product (emits CART_ITEM_ADDED)")
    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<CartChange> add(@Valid @RequestBody AddCartItemRequest request, Caller caller, RequestTelemetry telemetry) {
        telemetry.productId(request.productId().toString());
        return carts.add(caller, request).doOnNext(change -> record(telemetry, change));
    }

    @Operation(summary = "Change a line's quantity (emits CART_ITEM_UPDATED)")
    @PutMapping("/{itemId}")
    Mono<CartChange> update(
            @PathVariable @Positive long itemId,
            @Valid @RequestBody UpdateCartItemRequest request,
            Caller caller,
            RequestTelemetry telemetry) {
        return carts.update(caller, itemId, request).doOnNext(change -> record(telemetry, change));
    }

    @Operation(summary = "Remove a line (emits CART_ITEM_REMOVED)")
    @DeleteMapping("/{itemId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> remove(@PathVariable @Positive long itemId, Caller caller, RequestTelemetry telemetry) {
        return carts.remove(caller, itemId)
                .doOnNext(change -> record(telemetry, change))
                .then();
    }

    private static void record(RequestTelemetry telemetry, CartChange change) {
        telemetry
                .productId(Long.toString(change.productId()))
                .productCategory(change.productCategory())
                .cartItemsCount(change.cartItemsCount());
    }
}
