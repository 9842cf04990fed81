package io.chanalytics.crud.product;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.metrics.web.RequestTelemetry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(name = "Products")
@RestController
@RequestMapping("/products")
class ProductController {

    private final ProductService products;

    ProductController(ProductService products) {
        this.products = products;
    }

    @Operation(summary = "List products, filtered by category and price range")
    @GetMapping
    Mono<PageResponse<Product>> list(
            @RequestParam(required = false) @Size(min = 1, max = 50) String category,
            @RequestParam(required = false) @DecimalMin("0.00") BigDecimal minPrice,
            @RequestParam(required = false) @DecimalMin("0.00") BigDecimal maxPrice,
            @RequestParam(defaultValue = "0") @Min(0) @Max(100_000) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(PageResponse.MAX_SIZE) int size) {
        return products.list(category, minPrice, maxPrice, page, size);
    }

    @Operation(summary = "Create a product")
    @PostMapping
    Mono<ResponseEntity<Product>> create(@Valid @RequestBody ProductRequest request, RequestTelemetry telemetry) {
        return products.create(request).map(product -> {
            record(telemetry, product);
            return ResponseEntity.created(URI.create("/products/" + product.id()))
                    .body(product);
        });
    }

    @Operation(summary = "Get one product (emits PRODUCT_VIEWED)")
    @GetMapping("/{id}")
    Mono<Product> get(@PathVariable @Positive long id, Caller caller, RequestTelemetry telemetry) {
        telemetry.productId(Long.toString(id));
        return products.view(id, caller).doOnNext(product -> record(telemetry, product));
    }

    @Operation(summary = "Replace a product")
    @PutMapping("/{id}")
    Mono<Product> replace(
            @PathVariable @Positive long id, @Valid @RequestBody ProductRequest request, RequestTelemetry telemetry) {
        telemetry.productId(Long.toString(id));
        return products.replace(id, request).doOnNext(product -> record(telemetry, product));
    }

    @Operation(summary = "Delete a product")
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable @Positive long id, RequestTelemetry telemetry) {
        telemetry.productId(Long.toString(id));
        return products.delete(id);
    }

    private static void record(RequestTelemetry telemetry, Product product) {
        telemetry.productId(Long.toString(product.id())).productCategory(product.category());
    }
}
