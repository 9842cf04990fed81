package io.chanalytics.metrics.publish;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the publisher itself decides: where each event type goes, how many events may wait for Kafka, and how long
 * closing may take. How it talks to Kafka is the producer's configuration: {@code spring.kafka.*} in a service, on top
 * of {@link #telemetryProducerDefaults()}.
 */
public record EventPublisherSettings(EventTopics topics, int queueCapacity, Duration closeTimeout) {

    public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

    public static final EventPublisherSettings DEFAULTS =
            new EventPublisherSettings(EventTopics.DEFAULTS, DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(5));

    public EventPublisherSettings {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive, was " + queueCapacity);
        }
    }

    public EventPublisherSettings withQueueCapacity(int capacity) {
        return new EventPublisherSettings(topics, capacity, closeTimeout);
    }

    public EventPublisherSettings withTopics(EventTopics eventTopics) {
        return new EventPublisherSettings(eventTopics, queueCapacity, closeTimeout);
    }

    /**
     * Producer settings suited to telemetry: idempotent with {@code acks=all} (nothing acknowledged is lost or
     * doubled by a retry), a few ms of linger for batching, lz4. A service's {@code spring.kafka.*} replaces any of
     * them.
     */
    public static Map<String, Object> telemetryProducerDefaults() {
        Map<String, Object> config = new HashMap<>();
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
        return config;
    }

    /** The telemetry defaults for a producer of serialized events outside Spring (tests, tools, the embedded stack). */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = telemetryProducerDefaults();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }
}
