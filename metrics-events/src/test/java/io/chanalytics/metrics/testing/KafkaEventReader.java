package io.chanalytics.metrics.testing;

import io.chanalytics.metrics.wire.ConfluentAvroDeserializer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from the beginning (every partition assigned directly, no consumer group) and decodes every message
 * through the schema registry by the id in its header, as any downstream consumer would. Shared by the integration
 * tests of all modules.
 */
public final class KafkaEventReader {

    private static final Duration QUIET_AFTER_COUNT = Duration.ofMillis(500);

    private final String bootstrapServers;
    private final ConfluentAvroDeserializer deserializer;

    public KafkaEventReader(String bootstrapServers, URI registryUri) {
        this.bootstrapServers = bootstrapServers;
        this.deserializer = new ConfluentAvroDeserializer(new RegistrySchemas(registryUri)::byId);
    }

    /**
     * Exactly {@code count} events: waits until that many are on the topic, then for a quiet period in which no
     * further one may arrive (a late duplicate fails it). Fails if fewer arrive within {@code timeout}.
     */
    public <T extends SpecificRecord> List<T> readExactly(String topic, int count, Duration timeout) {
        return readExactly(topic, count, timeout, event -> true);
    }

    /** As {@link #readExactly(String, int, Duration)}, counting only the events of this test. */
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> List<T> readExactly(
            String topic, int count, Duration timeout, Predicate<? super SpecificRecord> ofThisTest) {
        List<SpecificRecord> events = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long countReachedAt = 0;
        try (var consumer = assignedFromBeginning(topic)) {
            while (System.nanoTime() < deadline) {
                poll(consumer).stream().filter(ofThisTest).forEach(events::add);
                if (events.size() > count) {
                    break;
                }
                if (events.size() == count) {
                    countReachedAt = countReachedAt == 0 ? System.nanoTime() : countReachedAt;
                    if (System.nanoTime() - countReachedAt > QUIET_AFTER_COUNT.toNanos()) {
                        break;
                    }
                }
            }
        }
        if (events.size() != count) {
            throw new AssertionError("Expected exactly " + count + " events on " + topic + " within " + timeout
                    + " but read " + events.size());
        }
        return (List<T>) events;
    }

    /**
     * Everything on the topic at the moment of the call: reads every partition up to its end offset, so it cannot
     * return before the first fetch, however slow the broker is.
     */
    public List<SpecificRecord> readAll(String topic) {
        List<SpecificRecord> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        try (var consumer = assignedFromBeginning(topic)) {
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
            while (!reachedEnd(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Could not read " + topic + " up to its end offsets " + ends);
                }
                events.addAll(poll(consumer));
            }
        }
        return events;
    }

    private List<SpecificRecord> poll(KafkaConsumer<byte[], byte[]> consumer) {
        List<SpecificRecord> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            events.add(deserializer.deserialize(record.value()));
        }
        return events;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private KafkaConsumer<byte[], byte[]> assignedFromBeginning(String topic) {
        var consumer = new KafkaConsumer<byte[], byte[]>(consumerConfig());
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            consumer.close();
            throw new AssertionError("Topic " + topic + " does not exist");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return consumer;
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class);
    }
}
