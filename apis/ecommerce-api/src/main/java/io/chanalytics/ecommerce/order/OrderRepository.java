package io.chanalytics.ecommerce.order;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.paging.PageResponse;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
class OrderRepository {

    private final DatabaseClient database;

    OrderRepository(DatabaseClient database) {
        this.database = database;
    }

    Mono<Long> insertOrder(
            String owner, Caller caller, BigDecimal total, String currency, int itemsCount, Instant createdAt) {
        var insert = database.sql("""
                        INSERT INTO ecommerce.orders
                            (owner_key, user_id, session_id, status, total, currency, items_count, created_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""").bind(0, owner);
        insert = bindNullable(insert, 1, caller.userId());
        insert = bindNullable(insert, 2, caller.sessionId());
        return insert.bind(3, OrderView.PLACED)
                .bind(4, total)
                .bind(5, currency)
                .bind(6, itemsCount)
                .bind(7, createdAt)
                .map(row -> row.get("id", Long.class))
                .one();
    }

    Mono<Void> insertItems(long orderId, List<OrderItemView> items) {
        return Flux.fromIterable(items)
                .concatMap(item -> database.sql("""
                                INSERT INTO ecommerce.order_items (order_id, product_id, product_name,
                                    product_category, unit_price, quantity, line_total)
                                VALUES ($1, $2, $3, $4, $5, $6, $7)""")
                        .bind(0, orderId)
                        .bind(1, item.productId())
                        .bind(2, item.productName())
                        .bind(3, item.productCategory())
                        .bind(4, item.unitPrice())
                        .bind(5, item.quantity())
                        .bind(6, item.lineTotal())
                        .fetch()
                        .rowsUpdated())
                .then();
    }

    Mono<OrderView> find(String owner, long orderId) {
        return database.sql("SELECT id, status, total, currency, items_count, created_at FROM ecommerce.orders"
                        + " WHERE owner_key = $1 AND id = $2")
                .bind(0, owner)
                .bind(1, orderId)
                .map(OrderRepository::order)
                .one()
                .flatMap(order -> withItems(List.of(order)).map(List::getFirst));
    }

    Mono<PageResponse<OrderView>> findPage(String owner, int page, int size) {
        Mono<List<OrderView>> content = database.sql("""
                        SELECT id, status, total, currency, items_count, created_at FROM ecommerce.orders
                        WHERE owner_key = $1 ORDER BY id DESC LIMIT $2 OFFSET $3""")
                .bind(0, owner)
                .bind(1, size)
                .bind(2, PageResponse.offset(page, size))
                .map(OrderRepository::order)
                .all()
                .collectList()
                .flatMap(this::withItems);
        Mono<Long> total = database.sql("SELECT count(*) AS total FROM ecommerce.orders WHERE owner_key = $1")
                .bind(0, owner)
                .map(row -> row.get("total", Long.class))
                .one();
        return Mono.zip(content, total).map(result -> PageResponse.of(result.getT1(), page, size, result.getT2()));
    }

    private static DatabaseClient.GenericExecuteSpec bindNullable(
            DatabaseClient.GenericExecuteSpec spec, int index, String value) {
        return value == null ? spec.bindNull(index, String.class) : spec.bind(index, value);
    }

    private Mono<List<OrderView>> withItems(List<OrderView> orders) {
        if (orders.isEmpty()) {
            return Mono.just(orders);
        }
        return database.sql("""
                        SELECT order_id, product_id, product_name, product_category, unit_price, quantity, line_total
                        FROM ecommerce.order_items WHERE order_id = ANY($1) ORDER BY id""")
                .bind(0, orders.stream().map(OrderView::id).toArray(Long[]::new))
                .map(row -> Map.entry(row.get("order_id", Long.class), item(row)))
                .all()
                .collect(Collectors.groupingBy(
                        Map.Entry::getKey, Collectors.mapping(Map.Entry::getValue, Collectors.toList())))
                .map(items -> orders.stream()
                        .map(order -> new OrderView(
                                order.id(),
                                order.status(),
                                order.total(),
                                order.currency(),
                                order.itemsCount(),
                                order.createdAt(),
                                items.getOrDefault(order.id(), List.of())))
                        .toList());
    }

    private static OrderView order(Readable row) {
        return new OrderView(
                row.get("id", Long.class),
                row.get("status", String.class),
                row.get("total", BigDecimal.class),
                row.get("currency", String.class),
                row.get("items_count", Integer.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                List.of());
    }

    private static OrderItemView item(Readable row) {
        return new OrderItemView(
                row.get("product_id", Long.class),
                row.get("product_name", String.class),
                row.get("product_category", String.class),
                row.get("unit_price", BigDecimal.class),
                row.get("quantity", Integer.class),
                row.get("line_total", BigDecimal.class));
    }
}
