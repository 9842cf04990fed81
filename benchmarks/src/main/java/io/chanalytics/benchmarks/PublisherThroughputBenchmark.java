package io.chanalytics.benchmarks;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.TopicSettings;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.metrics.wire.ConfluentAvroSerializer;
import io.chanalytics.registry.SchemaRegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ProducerPerformance;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Benchmark 2 of docs/benchmarks.md: events per second through {@link EventPublisher} (publish, serialize, send, wait
 * for every acknowledgement) against Kafka's own {@code ProducerPerformance} on the same broker, with records of the
 * same size and the publisher's producer settings. Rounds alternate the two and the median ratio is printed, so a
 * noisy machine affects both alike. Target: publisher / Kafka tool >= 0.8.
 *
 * <p>Run: {@code scripts/bench.sh publisher-throughput [--quick]}.
 */
public final class PublisherThroughputBenchmark {

    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int events = quick ? 20_000 : 500_000;
        int rounds = quick ? 1 : 9;
        var broker = new EmbeddedKafkaKraftBroker(1, 3);
        broker.afterPropertiesSet();
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("ProducerPerformance exited with " + status + ": " + message);
        });
        try (var registry = SchemaRegistryServer.start(0)) {
            var admin = org.apache.kafka.clients.admin.Admin.create(
                    Map.of("bootstrap.servers", broker.getBrokersAsString()));
            admin.createTopics(TopicSettings.DEFAULTS.newTopics(EventTopics.DEFAULTS))
                    .all()
                    .get();
            admin.createTopics(List.of(TopicSettings.DEFAULTS.newTopic("producer-performance")))
                    .all()
                    .get();
            admin.close();
            var client = new SchemaRegistryClient(registry.baseUri());
            Instant now = Instant.now();
            List<RequestEvent> batch = IntStream.range(0, events)
                    .mapToObj(i -> SampleEvents.request(i, now.plusMillis(i)))
                    .toList();
            int schemaId = client.register(
                    EventTopics.subjectOf(EventTopics.DEFAULTS.request()), RequestEvent.getClassSchema());
            int recordSize = new ConfluentAvroSerializer().serialize(schemaId, batch.getFirst()).length;

            if (!quick) {
                // A warm-up round of each, not counted: the first round measures the JIT more than the code.
                publisherRate(broker.getBrokersAsString(), client, batch);
                producerPerformanceRate(broker.getBrokersAsString(), events, recordSize);
            }
            List<double[]> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double publisher = publisherRate(broker.getBrokersAsString(), client, batch);
                double tool = producerPerformanceRate(broker.getBrokersAsString(), events, recordSize);
                results.add(new double[] {publisher, tool});
                System.out.printf(
                        Locale.ROOT,
                        "round %d: EventPublisher %,.0f events/s, ProducerPerformance %,.0f records/s, ratio %.2f%n",
                        round,
                        publisher,
                        tool,
                        publisher / tool);
            }
            results.sort((a, b) -> Double.compare(a[0] / a[1], b[0] / b[1]));
            double[] median = results.get(results.size() / 2);
            System.out.printf(
                    Locale.ROOT,
                    "%n| benchmark | variant A | variant B | ratio A/B | target |%n|---|---|---|---|---|%n"
                            + "| 2 publisher throughput (%d events of %d bytes%s) | EventPublisher %,.0f/s"
                            + " | ProducerPerformance %,.0f/s | %.2f | >= 0.80 |%n",
                    events,
                    recordSize,
                    quick ? ", --quick" : "",
                    median[0],
                    median[1],
                    median[0] / median[1]);
            serialization(schemaId, batch, rounds);
        } finally {
            broker.destroy();
            Exit.resetExitProcedure();
        }
    }

    /**
     * The drain thread's largest cost, alone, on the same cold events the publisher rounds read: Avro's
     * {@code SpecificDatumWriter} (buffer, buffered encoder and writer reused) against the serializer's planned encoder.
     */
    private static void serialization(int schemaId, List<RequestEvent> batch, int rounds) {
        var avro = ConfluentAvroSerializer.withAvroWriter();
        var planned = new ConfluentAvroSerializer();
        List<Long> avroTimes = new ArrayList<>();
        List<Long> plannedTimes = new ArrayList<>();
        long sink = 0;
        for (int round = 0; round <= rounds; round++) {
            long t0 = System.nanoTime();
            for (RequestEvent event : batch) {
                sink += avro.serialize(schemaId, event).length;
            }
            long t1 = System.nanoTime();
            for (RequestEvent event : batch) {
                sink += planned.serialize(schemaId, event).length;
            }
            long t2 = System.nanoTime();
            if (round > 0) { // round 0 warms the JIT for both
                avroTimes.add(t1 - t0);
                plannedTimes.add(t2 - t1);
            }
        }
        avroTimes.sort(null);
        plannedTimes.sort(null);
        double avroNanos = (double) avroTimes.get(avroTimes.size() / 2) / batch.size();
        double plannedNanos = (double) plannedTimes.get(plannedTimes.size() / 2) / batch.size();
        System.out.printf(
                Locale.ROOT,
                "serialization alone (median of %d alternated rounds, %d bytes written): Avro's writer %.2f µs an"
                        + " event, the planned encoder %.2f µs, ratio %.2f%n",
                rounds,
                sink,
                avroNanos / 1000,
                plannedNanos / 1000,
                plannedNanos / avroNanos);
    }

    private static double publisherRate(String bootstrap, SchemaRegistryClient client, List<RequestEvent> batch)
            throws InterruptedException {
        try (var publisher = EventPublisher.connect(
                bootstrap,
                EventPublisherSettings.DEFAULTS.withQueueCapacity(batch.size()),
                client,
                new SimpleMeterRegistry())) {
            long start = System.nanoTime();
            batch.forEach(publisher::publish);
            if (!publisher.awaitIdle(Duration.ofMinutes(5))) {
                throw new IllegalStateException("publisher did not drain: " + publisher.stats());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (publisher.stats().published() != batch.size()) {
                throw new IllegalStateException("not every event acknowledged: " + publisher.stats());
            }
            return batch.size() / seconds;
        }
    }

    /** Kafka's tool with the publisher's telemetry settings; parses its closing "N records/sec" line. */
    private static double producerPerformanceRate(String bootstrap, int records, int recordSize) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                "producer-performance",
                "--num-records",
                Integer.toString(records),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + bootstrap));
        EventPublisherSettings.telemetryProducerDefaults().forEach((name, value) -> {
            if (!name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                args.add(name + "=" + value);
            }
        });
        PrintStream console = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(args.toArray(String[]::new));
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        Matcher rate = RATE.matcher(output.substring(output.lastIndexOf("records sent")));
        if (!rate.find()) {
            throw new IllegalStateException("No rate in ProducerPerformance's output: " + output);
        }
        return Double.parseDouble(rate.group(1));
    }
}
