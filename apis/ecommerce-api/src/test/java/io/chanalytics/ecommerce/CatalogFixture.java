package io.chanalytics.ecommerce;

import io.chanalytics.api.testing.EmbeddedPostgresDatabase;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/**
 * The catalog side of the shared database, set up the way production has it: the CRUD API's own migration files
 * create {@code crud.products}; tests then seed and inspect rows over plain JDBC.
 */
public final class CatalogFixture {

    private static final Path CRUD_MIGRATIONS = Path.of("../crud-api/src/main/resources/db/migration/crud");

    private CatalogFixture() {}

    public static synchronized void migrate() {
        if (!Files.isDirectory(CRUD_MIGRATIONS)) {
            throw new IllegalStateException("CRUD migrations not found at " + CRUD_MIGRATIONS.toAbsolutePath());
        }
        Flyway.configure()
                .dataSource(EmbeddedPostgresDatabase.jdbcUrl(), "postgres", "postgres")
                .schemas("crud")
                .defaultSchema("crud")
                .locations("filesystem:" + CRUD_MIGRATIONS.toAbsolutePath())
                .load()
                .migrate();
    }

    public static long insertProduct(String name, String category, String price, int stock) {
        return query(
                "INSERT INTO crud.products (name, category, price, stock) VALUES (?, ?, ?, ?) RETURNING id",
                statement -> {
                    statement.setString(1, name);
                    statement.setString(2, category);
                    statement.setBigDecimal(3, new BigDecimal(price));
                    statement.setInt(4, stock);
                },
                result -> result.getLong(1));
    }

    public static void setPriceAndStock(long productId, String price, int stock) {
        query(
                "UPDATE crud.products SET price = ?, stock = ? WHERE id = ? RETURNING id",
                statement -> {
                    statement.setBigDecimal(1, new BigDecimal(price));
                    statement.setInt(2, stock);
                    statement.setLong(3, productId);
                },
                result -> result.getLong(1));
    }

    public static int stockOf(long productId) {
        return query(
                "SELECT stock FROM crud.products WHERE id = ?",
                statement -> statement.setLong(1, productId),
                result -> result.getInt(1));
    }

    /** Orders of the owner key ("user:..."), as the number of orders. */
    public static long ordersOf(String ownerKey) {
        return query(
                "SELECT count(*) FROM ecommerce.orders WHERE owner_key = ?",
                statement -> statement.setString(1, ownerKey),
                result -> result.getLong(1));
    }

    public static BigDecimal orderTotalsOf(String ownerKey) {
        return query(
                "SELECT coalesce(sum(total), 0) FROM ecommerce.orders WHERE owner_key = ?",
                statement -> statement.setString(1, ownerKey),
                result -> result.getBigDecimal(1));
    }

    public static long unitsOrdered(long productId) {
        return query(
                "SELECT coalesce(sum(quantity), 0) FROM ecommerce.order_items WHERE product_id = ?",
                statement -> statement.setLong(1, productId),
                result -> result.getLong(1));
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private interface Reader<T> {
        T read(ResultSet result) throws SQLException;
    }

    private static <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection connection =
                        DriverManager.getConnection(EmbeddedPostgresDatabase.jdbcUrl(), "postgres", "postgres");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("No row for " + sql);
                }
                return reader.read(result);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
