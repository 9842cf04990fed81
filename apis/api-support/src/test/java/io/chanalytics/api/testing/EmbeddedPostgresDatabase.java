package io.chanalytics.api.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded binaries), shared by every Spring context of the
 * module so the 2-core CI machine starts it once. Stopped by a shutdown hook when the JVM exits.
 */
public final class EmbeddedPostgresDatabase {

    private static EmbeddedPostgres server;

    private EmbeddedPostgresDatabase() {}

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting: nothing left to clean up
                }
            }));
        }
        return server;
    }

    public static String jdbcUrl() {
        return server().getJdbcUrl("postgres", "postgres");
    }

    /** Points R2DBC and Flyway at the shared server, the same properties the services read from the environment. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("POSTGRES_HOST", () -> "localhost");
        registry.add("POSTGRES_PORT", () -> server().getPort());
        registry.add("POSTGRES_DB", () -> "postgres");
        registry.add("POSTGRES_USER", () -> "postgres");
        registry.add("POSTGRES_PASSWORD", () -> "postgres");
    }
}
