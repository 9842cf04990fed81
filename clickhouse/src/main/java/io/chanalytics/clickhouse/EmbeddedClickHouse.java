package io.chanalytics.clickhouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * ClickHouse for the no-Docker stack and the tests: chDB opened on a data path with this project's engine settings,
 * the schema files applied, and a way to wait until the Kafka engine tables consume.
 *
 * <p>The engine settings make a new consumer group start at the beginning of its topic (as
 * {@code clickhouse/docker/config.d/kafka.xml} does for the server), and shorten the Kafka consumers' session timeout from librdkafka's 45 s to 6 s. chDB does not
 * make its consumers leave their group when it closes, so after a restart the new consumers get their partitions
 * only once the old members' sessions expired; 6 s keeps that wait short.
 */
public final class EmbeddedClickHouse implements AutoCloseable {

    static final String ENGINE_CONFIG = """
            <clickhouse>
              <kafka>
                <auto_offset_reset>earliest</auto_offset_reset>
                <session_timeout_ms>6000</session_timeout_ms>
                <heartbeat_interval_ms>500</heartbeat_interval_ms>
              </kafka>
            </clickhouse>
            """;

    private static final Duration POLL = Duration.ofMillis(100);

    private final ChDb engine;

    private EmbeddedClickHouse(ChDb engine) {
        this.engine = engine;
    }

    /**
     * Opens the engine on {@code dataPath} (one per process; a restart of the engine is a restart of the process)
     * and applies the schema files with {@code schemaVariables} (see {@link SchemaVariables}).
     */
    public static EmbeddedClickHouse start(Path dataPath, Map<String, String> schemaVariables) {
        ChDb engine = ChDb.open(dataPath, "--config-file=" + writeEngineConfig());
        try {
            SchemaMigrations.fromClasspath().apply(engine, schemaVariables);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new EmbeddedClickHouse(engine);
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
        engine.close();
    }

    private static Path writeEngineConfig() {
        try {
            Path config = Files.createTempFile("chanalytics-chdb-", ".xml");
            config.toFile().deleteOnExit();
            return Files.writeString(config, ENGINE_CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the chDB engine configuration", e);
        }
    }
}
