package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.ecommerce.catalog.Catalog;
import io.chanalytics.ecommerce.catalog.CatalogProduct;
import io.chanalytics.ecommerce.system.EcommerceProperties;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns order lines into a placed order: takes stock product by product, prices each line from the catalogue at
 * this moment, and writes the order. Runs inside the caller's transaction, so any failure (a product short or
 * gone) rolls back the stock already taken and the order rows: nothing is half-written.
 */
@Component
public class OrderPlacement {

    private final Catalog catalog;
    private final OrderRepository orders;
    private final EcommerceProperties properties;

    OrderPlacement(Catalog catalog, OrderRepository orders, EcommerceProperties properties) {
        this.catalog = catalog;
        this.orders = orders;
        this.properties = properties;
    }

    public Mono<OrderView> place(Caller caller, List<OrderLine> lines) {
        // One line per product, taken in product id order: concurrent multi-product orders then lock rows in
        // the same order and cannot deadlock.
        Map<Long, Integer> quantities = new TreeMap<>();
        lines.forEach(line -> quantities.merge(line.productId(), line.quantity(), Integer::sum));
        return Flux.fromIterable(quantities.entrySet())
                .concatMap(entry -> take(entry.getKey(), entry.getValue()))
                .collectList()
                .flatMap(items -> write(caller, items));
    }

    private Mono<OrderItemView> take(long productId, int quantity) {
        return catalog.takeStock(productId, quantity)
                .map(product -> item(product, quantity))
                .switchIfEmpty(Mono.defer(() -> catalog.find(productId)
                        .flatMap(product -> Mono.<OrderItemView>error(OrderFailure.OUT_OF_STOCK.tag(ApiProblem.conflict(
                                        "quantity",
                                        "Only " + product.stock() + " of product " + productId + " in stock, "
                                                + quantity + " wanted")
                                .with("productId", productId))))
                        .switchIfEmpty(Mono.error(() -> OrderFailure.PRODUCT_NOT_FOUND.tag(
                                ApiProblem.unprocessable("productId", "No product with id " + productId)
                                        .with("productId", productId))))));
    }

    private Mono<OrderView> write(Caller caller, List<OrderItemView> items) {
        BigDecimal total = items.stream().map(OrderItemView::lineTotal).reduce(new BigDecimal("0.00"), BigDecimal::add);
        int units = items.stream().mapToInt(OrderItemView::quantity).sum();
        // PostgreSQL keeps microseconds: truncate so the returned view equals what a later read gives.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return orders.insertOrder(caller.ownerKey(), caller, total, properties.currency(), units, now)
                .flatMap(orderId -> orders.insertItems(orderId, items)
                        .thenReturn(new OrderView(
                                orderId, OrderView.PLACED, total, properties.currency(), units, now, items)));
    }

    private static OrderItemView item(CatalogProduct product, int quantity) {
        return new OrderItemView(
                product.id(),
                product.name(),
                product.category(),
                product.price(),
                quantity,
                product.price().multiply(BigDecimal.valueOf(quantity)));
    }
}
