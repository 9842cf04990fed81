package io.chanalytics.metrics.testing;

import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.wire.ConfluentAvroDeserializer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning with a throw-away consumer group and decodes every message through the schema
 * registry by the id in its header, as any downstream consumer would. Shared by the integration tests of all modules.
 */
public final class KafkaEventReader {

    private final String bootstrapServers;
    private final ConfluentAvroDeserializer deserializer;

    public KafkaEventReader(String bootstrapServers, URI registryUri) {
        this.bootstrapServers = bootstrapServers;
        var registry = new SchemaRegistryClient(registryUri);
        this.deserializer = new ConfluentAvroDeserializer(registry::schemaById);
    }

    /** Exactly {@code count} events, in partition order; fails if fewer arrive within {@code timeout}. */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> List<T> readExactly(String topic, int count, Duration timeout) {
        List<SpecificRecord> events = read(topic, count, timeout, Duration.ofMillis(500));
        if (events.size() != count) {
            throw new AssertionError(
                    "Expected " + count + " events on " + topic + " within " + timeout + " but read " + events.size());
        }
        return (List<T>) events;
    }

    /** Everything on the topic: reads until no new message arrived for {@code quietPeriod}. */
    public List<SpecificRecord> readAll(String topic, Duration quietPeriod) {
        return read(topic, Integer.MAX_VALUE, Duration.ofMinutes(2), quietPeriod);
    }

    private List<SpecificRecord> read(String topic, int atLeast, Duration timeout, Duration quietPeriod) {
        List<SpecificRecord> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastArrival = System.nanoTime();
        try (var consumer = new KafkaConsumer<byte[], byte[]>(consumerConfig())) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    events.add(deserializer.deserialize(record.value()));
                    lastArrival = System.nanoTime();
                }
                boolean quiet = System.nanoTime() - lastArrival > quietPeriod.toNanos();
                if (events.size() > atLeast || (events.size() == atLeast && quiet)) {
                    break;
                }
                if (atLeast == Integer.MAX_VALUE
                        && quiet
                        && !consumer.assignment().isEmpty()) {
                    break;
                }
            }
        }
        return events;
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
    }
}
