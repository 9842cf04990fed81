package io.chanalytics.crud.product;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.chanalytics.api.problem.ApiProblem;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

@Service
class ProductService {

    private final ProductRepository products;
    private final ProductEvents events;

    ProductService(ProductRepository products, ProductEvents events) {
        this.products = products;
        this.events = events;
    }

    Mono<Product> create(ProductRequest request) {
        Instant now = Instant.now();
        return products.save(new Product(
                null,
                request.name().strip(),
                request.category().strip(),
                money(request.price()),
                request.stock(),
                now,
                now));
    }

    Mono<Product> replace(long id, ProductRequest request) {
        return find(id).flatMap(existing -> products.save(new Product(
                id,
                request.name().strip(),
                request.category().strip(),
                money(request.price()),
                request.stock(),
                existing.createdAt(),
                Instant.now())));
    }

    Mono<Void> delete(long id) {
        return find(id).flatMap(products::delete);
    }

    /** The product, reported as viewed by {@code caller}. */
    Mono<Product> view(long id, Caller caller) {
        return find(id).doOnNext(product -> events.viewed(product, caller));
    }

    Mono<Product> find(long id) {
        return products.findById(id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    Mono<PageResponse<Product>> list(String category, BigDecimal minPrice, BigDecimal maxPrice, int page, int size) {
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            return Mono.error(ApiProblem.badRequest("minPrice", "minPrice must not be greater than maxPrice"));
        }
        return products.findPage(category, minPrice, maxPrice, page, size);
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static ApiProblem notFound(long id) {
        return ApiProblem.notFound("id", "No product with id " + id);
    }
}
