package io.chanalytics.crud.product;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/** Body of POST and PUT: a full product. Prices are exact decimals with at most two fraction digits. */
public record ProductRequest(
        @NotBlank @Size(max = 200) String name,
        @NotBlank @Size(max = 50) String category,

        @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
        BigDecimal price,

        @NotNull @PositiveOrZero @Max(ProductRequest.MAX_STOCK)
        Integer stock) {

    static final int MAX_STOCK = 1_000_000;
}
