package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
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
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns order lines into a placed order: takes stock product by product, prices each line from the catalog at
 * this moment, and writes the order. Runs inside the caller's transaction, so any failure (a product short or
 * gone) rolls back the stock already taken and the order rows: nothing is half-written.
 */
@Component
public class OrderPlacement {

    private final Catalog catalog;
    private final OrderRepository orders;
    private final OrderEvents events;
    private final EcommerceProperties properties;
    private final TransactionalOperator transaction;

    OrderPlacement(
            Catalog catalog,
            OrderRepository orders,
            OrderEvents events,
            EcommerceProperties properties,
            ReactiveTransactionManager transactionManager) {
        this.catalog = catalog;
        this.orders = orders;
        this.events = events;
        this.properties = properties;
        this.transaction = TransactionalOperator.create(transactionManager);
    }

    /**
     * Runs {@code work} (which ends by {@link #place placing} the order) in one transaction and reports the outcome
     * as ORDER_PLACED or ORDER_FAILED, once it is committed or rolled back.
     */
    public Mono<OrderView> inTransaction(Caller caller, Mono<OrderView> work) {
        return transaction
                .transactional(work)
                .doOnNext(order -> events.placed(caller, order))
                .doOnError(error -> events.failed(caller, error));
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
                        .flatMap(product -> Mono.<OrderItemView>error(OrderRefused.outOfStock(product, quantity)))
                        .switchIfEmpty(Mono.error(() -> OrderRefused.productNotFound(
                                "productId", productId, "No product with id " + productId)))));
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
