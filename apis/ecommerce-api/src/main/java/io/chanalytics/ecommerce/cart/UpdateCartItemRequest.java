package io.chanalytics.ecommerce.cart;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

public record UpdateCartItemRequest(
        @NotNull @Min(1) @Max(CartItem.MAX_QUANTITY) Integer quantity) {}
