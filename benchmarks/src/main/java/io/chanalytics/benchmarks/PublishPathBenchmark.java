package io.chanalytics.benchmarks;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.metrics.wire.ConfluentAvroSerializer;
import io.chanalytics.registry.SchemaRegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * What a request thread pays to record one event, three ways, in one run against a real broker so the ratios are
 * meaningful on a noisy machine: (a) {@link EventPublisher#publish} (offer to a bounded queue), (b) serialize and
 * {@code KafkaProducer.send} on the caller thread, (c) the same and wait for the acknowledgement.
 *
 * <p>Run: {@code ./mvnw -pl metrics-events test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chanalytics.metrics.benchmark.PublishPathBenchmark}
 */
public final class PublishPathBenchmark {

    // --quick (scripts/bench.sh --quick, CI): enough to prove it still runs, not to measure.
    private static int EVENTS = 20_000;
    private static int SYNC_EVENTS = 1_000;
    private static int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--quick")) {
            EVENTS = 2_000;
            SYNC_EVENTS = 100;
            ROUNDS = 1;
        }
        var broker =
                new EmbeddedKafkaKraftBroker(1, 1, EventTopics.DEFAULTS.all().toArray(String[]::new));
        broker.afterPropertiesSet();
        try (var registry = SchemaRegistryServer.start(0)) {
            var client = new SchemaRegistryClient(registry.baseUri());
            var settings = EventPublisherSettings.DEFAULTS.withQueueCapacity(EVENTS * 2);
            var producerConfig = EventPublisherSettings.producerConfig(broker.getBrokersAsString());
            List<RequestEvent> events = IntStream.range(0, EVENTS)
                    .mapToObj(i -> SampleEvents.request(i, Instant.now()))
                    .toList();
            int schemaId = client.register(
                    EventTopics.subjectOf(EventTopics.DEFAULTS.request()), RequestEvent.getClassSchema());
            var serializer = new ConfluentAvroSerializer();

            for (int round = 1; round <= ROUNDS; round++) {
                double queued;
                try (var publisher = EventPublisher.connect(
                        broker.getBrokersAsString(), settings, client, new SimpleMeterRegistry())) {
                    long start = System.nanoTime();
                    events.forEach(publisher::publish);
                    queued = perCallMicros(start, EVENTS);
                    publisher.awaitIdle(Duration.ofMinutes(1));
                }
                double direct;
                double synchronous;
                try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig)) {
                    long start = System.nanoTime();
                    for (RequestEvent event : events) {
                        producer.send(new ProducerRecord<>(
                                EventTopics.DEFAULTS.request(), serializer.serialize(schemaId, event)));
                    }
                    direct = perCallMicros(start, EVENTS);
                    producer.flush();
                    start = System.nanoTime();
                    for (int i = 0; i < SYNC_EVENTS; i++) {
                        producer.send(new ProducerRecord<>(
                                        EventTopics.DEFAULTS.request(), serializer.serialize(schemaId, events.get(i))))
                                .get();
                    }
                    synchronous = perCallMicros(start, SYNC_EVENTS);
                }
                System.out.printf(
                        "round %d: publish() %.2f us/call | serialize+send on caller %.2f us (x%.1f) |"
                                + " send and wait for ack %.0f us (x%.0f)%n",
                        round, queued, direct, direct / queued, synchronous, synchronous / queued);
            }
        } finally {
            broker.destroy();
        }
    }

    private static double perCallMicros(long startNanos, int calls) {
        return (System.nanoTime() - startNanos) / 1_000.0 / calls;
    }
}
