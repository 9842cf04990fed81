package io.chanalytics.ecommerce.cart;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Cart lines by owner key; every query filters by owner, so one caller never sees another's lines. */
@Repository
public class CartRepository {

    private final DatabaseClient database;

    public CartRepository(DatabaseClient database) {
        this.database = database;
    }

    public Flux<CartItem> findByOwner(String owner) {
        return database.sql(
                        "SELECT id, product_id, quantity FROM ecommerce.cart_items WHERE owner_key = $1 ORDER BY id")
                .bind(0, owner)
                .map(CartRepository::item)
                .all();
    }

    /** The owner's lines, locked until the surrounding transaction ends so two checkouts cannot both use them. */
    public Flux<CartItem> lockByOwner(String owner) {
        return database.sql("""
                        SELECT id, product_id, quantity FROM ecommerce.cart_items
                        WHERE owner_key = $1 ORDER BY product_id FOR UPDATE""").bind(0, owner).map(CartRepository::item).all();
    }

    Mono<CartItem> findByProduct(String owner, long productId) {
        return database.sql(
                        "SELECT id, product_id, quantity FROM ecommerce.cart_items WHERE owner_key = $1 AND product_id = $2")
                .bind(0, owner)
                .bind(1, productId)
                .map(CartRepository::item)
                .one();
    }

    /** Adds to the line of this product, creating it when absent. */
    Mono<CartItem> add(String owner, long productId, int quantity) {
        return database.sql("""
                        INSERT INTO ecommerce.cart_items (owner_key, product_id, quantity) VALUES ($1, $2, $3)
                        ON CONFLICT (owner_key, product_id)
                        DO UPDATE SET quantity = cart_items.quantity + EXCLUDED.quantity, updated_at = now()
                        RETURNING id, product_id, quantity""")
                .bind(0, owner)
                .bind(1, productId)
                .bind(2, quantity)
                .map(CartRepository::item)
                .one();
    }

    Mono<CartItem> setQuantity(String owner, long itemId, int quantity) {
        return database.sql("""
                        UPDATE ecommerce.cart_items SET quantity = $3, updated_at = now()
                        WHERE owner_key = $1 AND id = $2
                        RETURNING id, product_id, quantity""")
                .bind(0, owner)
                .bind(1, itemId)
                .bind(2, quantity)
                .map(CartRepository::item)
                .one();
    }

    Mono<CartItem> delete(String owner, long itemId) {
        return database.sql(
                        "DELETE FROM ecommerce.cart_items WHERE owner_key = $1 AND id = $2 RETURNING id, product_id, quantity")
                .bind(0, owner)
                .bind(1, itemId)
                .map(CartRepository::item)
                .one();
    }

    public Mono<Long> deleteByOwner(String owner) {
        return database.sql("DELETE FROM ecommerce.cart_items WHERE owner_key = $1")
                .bind(0, owner)
                .fetch()
                .rowsUpdated();
    }

    private static CartItem item(Readable row) {
        return new CartItem(
                row.get("id", Long.class), row.get("product_id", Long.class), row.get("quantity", Integer.class));
    }
}
