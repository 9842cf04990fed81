package io.chanalytics.ecommerce.catalog;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads and reserves stock in {@code crud.products}, the table the CRUD API owns, through the shared database:
 * one transaction can then decrement stock and write the order, so a checkout is all or nothing. Stock is
 * taken with a conditional UPDATE whose row lock serialises concurrent orders for the same product.
 */
@Repository
public class Catalog {

    /** undefined_table, invalid_schema_name: the CRUD API has not migrated the catalog yet. */
    private static final Set<String> MISSING_CATALOG = Set.of("42P01", "3F000");

    private static final String COLUMNS = "id, name, category, price, stock";

    private final DatabaseClient database;

    public Catalog(DatabaseClient database) {
        this.database = database;
    }

    public Mono<CatalogProduct> find(long productId) {
        return database.sql("SELECT " + COLUMNS + " FROM crud.products WHERE id = $1")
                .bind(0, productId)
                .map(Catalog::product)
                .one()
                .onErrorMap(Catalog::isMissingCatalog, Catalog::unavailable);
    }

    public Flux<CatalogProduct> findAll(Collection<Long> productIds) {
        if (productIds.isEmpty()) {
            return Flux.empty();
        }
        return database.sql("SELECT " + COLUMNS + " FROM crud.products WHERE id = ANY($1)")
                .bind(0, productIds.toArray(Long[]::new))
                .map(Catalog::product)
                .all()
                .onErrorMap(Catalog::isMissingCatalog, Catalog::unavailable);
    }

    /**
     * Takes {@code quantity} units if that many are left, returning the product with its price at this moment;
     * empty when the product is missing or short. Must run inside the order's transaction: the row stays locked
     * until commit and a rollback puts the stock back.
     */
    public Mono<CatalogProduct> takeStock(long productId, int quantity) {
        return database.sql("""
                        UPDATE crud.products SET stock = stock - $1, updated_at = now()
                        WHERE id = $2 AND stock >= $1
                        RETURNING %s""".formatted(COLUMNS))
                .bind(0, quantity)
                .bind(1, productId)
                .map(Catalog::product)
                .one()
                .onErrorMap(Catalog::isMissingCatalog, Catalog::unavailable);
    }

    private static CatalogProduct product(Readable row) {
        return new CatalogProduct(
                row.get("id", Long.class),
                row.get("name", String.class),
                row.get("category", String.class),
                row.get("price", BigDecimal.class),
                row.get("stock", Integer.class));
    }

    private static boolean isMissingCatalog(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof R2dbcException r2dbc && MISSING_CATALOG.contains(r2dbc.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    private static CatalogUnavailable unavailable(Throwable error) {
        return new CatalogUnavailable();
    }
}
