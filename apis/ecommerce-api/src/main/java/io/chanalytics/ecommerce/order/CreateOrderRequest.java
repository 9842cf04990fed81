package io.chanalytics.ecommerce.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A direct order, bypassing the cart. */
public record CreateOrderRequest(
        @NotEmpty @Size(max = CreateOrderRequest.MAX_LINES) List<@Valid @NotNull OrderLineRequest> items) {

    static final int MAX_LINES = 50;
}
