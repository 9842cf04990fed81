package io.chanalytics.metrics.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How the publisher talks to Kafka. {@link #producerConfig()} starts from defaults suited to telemetry (idempotent,
 * {@code acks=all}, a few ms of linger for batching, lz4) and lets {@code producerOverrides} replace any of them.
 */
public record EventPublisherSettings(
        String bootstrapServers,
        EventTopics topics,
        int queueCapacity,
        Duration closeTimeout,
        Map<String, Object> producerOverrides) {

    public EventPublisherSettings {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
        }
        producerOverrides = Map.copyOf(producerOverrides);
    }

    public static EventPublisherSettings defaults(String bootstrapServers) {
        return new EventPublisherSettings(
                bootstrapServers, EventTopics.DEFAULTS, 10_000, Duration.ofSeconds(5), Map.of());
    }

    public EventPublisherSettings withQueueCapacity(int capacity) {
        return new EventPublisherSettings(bootstrapServers, topics, capacity, closeTimeout, producerOverrides);
    }

    public EventPublisherSettings withProducerOverrides(Map<String, Object> overrides) {
        return new EventPublisherSettings(bootstrapServers, topics, queueCapacity, closeTimeout, overrides);
    }

    public Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Bounds how long the drain thread (never a request thread) waits for metadata when the broker is down.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chanalytics-events");
        config.putAll(producerOverrides);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }
}
