package io.chanalytics.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.ChDbException;
import io.chanalytics.clickhouse.ingest.ReconciliationSchedule;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import io.chanalytics.clickhouse.schema.KafkaStreams;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * ClickHouse for the no-Docker stack and the tests: chDB opened on a data path with this project's engine settings,
 * the schema files applied, and a way to wait until the Kafka engine tables consume.
 *
 * <p>The engine reads the same Kafka client settings as the ClickHouse server ({@code clickhouse/config/kafka.xml}:
 * new consumer groups start at the beginning of their topic, short sessions so a restarted engine gets its
 * partitions back quickly) and the settings the server's default profile gives its Kafka tables' inserts
 * ({@link IngestionProfile}).
 */
public final class EmbeddedClickHouse implements AutoCloseable {

    static final String ENGINE_CONFIG = "/clickhouse/config/kafka.xml";

    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * The engine's share of the machine's memory, beyond which any query or insert fails rather than the process
     * growing: the server's default is 0.9, right for a container of its own, but the embedded engine shares the
     * machine with the stack's JVM, two service JVMs and PostgreSQL. Each reader query has its own bound besides
     * ({@link ReaderProfile}).
     */
    static final double MEMORY_SHARE = 0.3;

    private final ChDb engine;
    private final ReconciliationSchedule reconciliation;

    private EmbeddedClickHouse(ChDb engine, Duration reconcileEvery) {
        this.engine = engine;
        this.reconciliation = ReconciliationSchedule.start(engine, reconcileEvery);
    }

    /**
     * Opens the engine on {@code dataPath} (one per process; a restart of the engine is a restart of the process)
     * and applies the schema files with {@code schemaVariables} (see {@link SchemaVariables}).
     */
    public static EmbeddedClickHouse start(Path dataPath, Map<String, String> schemaVariables) {
        return start(dataPath, schemaVariables, RollupReconciler.INTERVAL);
    }

    /** The same, reconciling the rollups every {@code reconcileEvery} ({@link RollupReconciler}). */
    public static EmbeddedClickHouse start(
            Path dataPath, Map<String, String> schemaVariables, Duration reconcileEvery) {
        ChDb engine = ChDb.open(dataPath, "--config-file=" + writeEngineConfig());
        try {
            if (SchemaMigrations.fromClasspath().apply(engine, schemaVariables) > 0) {
                KafkaStreams.restart(engine);
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new EmbeddedClickHouse(engine, reconcileEvery);
    }

    public ChDb engine() {
        return engine;
    }

    /** Whether every Kafka engine table of {@code analytics} has a consumer holding at least one partition. */
    public boolean kafkaConsumersAssigned() {
        return engine.queryLong("""
                        SELECT count() > 0 AND countIf(notEmpty(assignments.topic)) = count()
                        FROM system.kafka_consumers WHERE database = 'analytics'
                        """) == 1;
    }

    /** Waits until {@link #kafkaConsumersAssigned()}; throws when {@code timeout} passes first. */
    public void awaitKafkaConsumers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!kafkaConsumersAssigned()) {
            if (System.nanoTime() > deadline) {
                throw new ChDbException("The Kafka engine tables got no partitions within " + timeout + ": "
                        + engine.query("SELECT table, exceptions.text FROM system.kafka_consumers"
                                + " WHERE database = 'analytics'"));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    @Override
    public void close() {
        reconciliation.close();
        engine.close();
    }

    /**
     * chDB reads its configuration from a file: the classpath copy of the Kafka settings both engines share, with the
     * embedded engine's memory share and a users file with the server's default profile ({@link IngestionProfile}),
     * written out once per engine start.
     */
    private static Path writeEngineConfig() {
        try (InputStream in = EmbeddedClickHouse.class.getResourceAsStream(ENGINE_CONFIG)) {
            if (in == null) {
                throw new IllegalStateException(ENGINE_CONFIG + " is missing from the classpath");
            }
            Path users = Files.createTempFile("chanalytics-chdb-users-", ".xml");
            users.toFile().deleteOnExit();
            Files.writeString(users, IngestionProfile.usersFile());
            Path config = Files.createTempFile("chanalytics-chdb-", ".xml");
            config.toFile().deleteOnExit();
            String shared = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.writeString(
                    config,
                    shared.replace(
                            "</clickhouse>",
                            "    <max_server_memory_usage_to_ram_ratio>" + MEMORY_SHARE
                                    + "</max_server_memory_usage_to_ram_ratio>\n    <users_config>" + users
                                    + "</users_config>\n</clickhouse>"));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chDB engine configuration", e);
        }
    }
}
