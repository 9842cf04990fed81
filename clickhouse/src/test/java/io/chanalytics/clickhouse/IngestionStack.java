package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.KafkaWithRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real parts an ingestion test needs: a Kafka broker (KRaft, in-process), the in-process schema registry and
 * the real {@link EventPublisher} of the services. The engine itself is opened by the test, on a path it owns.
 */
final class IngestionStack implements AutoCloseable {

    static final EventTopics TOPICS = EventTopics.DEFAULTS;
    static final int PARTITIONS = 2;
    /** Far shorter than the stack's interval, so that a test sees the rollups reconciled within seconds. */
    static final Duration RECONCILE_EVERY = Duration.ofSeconds(1);

    final KafkaWithRegistry kafka;
    final EventPublisher publisher;

    private IngestionStack(KafkaWithRegistry kafka, EventPublisher publisher) {
        this.kafka = kafka;
        this.publisher = publisher;
    }

    static IngestionStack start() {
        KafkaWithRegistry kafka = KafkaWithRegistry.perClass(PARTITIONS).start();
        EventPublisher publisher = EventPublisher.connect(
                kafka.bootstrapServers(),
                EventPublisherSettings.DEFAULTS.withQueueCapacity(100_000),
                new SchemaRegistryClient(kafka.registryUri()),
                new SimpleMeterRegistry());
        return new IngestionStack(kafka, publisher);
    }

    /**
     * The schema variables for this broker and registry, with a short flush interval so tests see rows quickly, and
     * one request consumer per partition, as the embedded stack caps them.
     */
    Map<String, String> schemaVariables() {
        return SchemaVariables.with(Map.of(
                "CH_KAFKA_BROKER_LIST", kafka.bootstrapServers(),
                "CH_SCHEMA_REGISTRY_URL", kafka.registryUri().toString(),
                "CH_KAFKA_FLUSH_INTERVAL_MS", "250",
                "CH_KAFKA_NUM_CONSUMERS", Integer.toString(PARTITIONS)));
    }

    /** Starts the embedded engine on {@code dataPath} for this stack and waits until it consumes. */
    EmbeddedClickHouse startClickHouse(Path dataPath) {
        EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(dataPath, schemaVariables(), RECONCILE_EVERY);
        clickHouse.awaitKafkaConsumers(Duration.ofSeconds(60));
        return clickHouse;
    }

    /** Publishes every event through the real publisher and waits until the broker acknowledged them all. */
    void publishAll(Collection<? extends SpecificRecord> events) {
        for (SpecificRecord event : events) {
            assertThat(publisher.publish(event))
                    .as("publisher accepted the event")
                    .isTrue();
        }
        awaitPublished();
    }

    void awaitPublished() {
        try {
            assertThat(publisher.awaitIdle(Duration.ofSeconds(30)))
                    .as("publisher drained")
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(publisher.stats().failed()).as("failed publishes").isZero();
    }

    /** A plain producer for bytes the publisher would never send (poison messages). */
    KafkaProducer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    }

    @Override
    public void close() {
        publisher.close();
        kafka.close();
    }
}
