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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * What a request thread pays to record one event, three ways, against a real broker in the same run so the ratios
 * mean something on a noisy machine: {@link EventPublisher#publish} (an offer to a bounded queue), serializing and
 * {@code KafkaProducer.send} on the caller thread, and the same waiting for the acknowledgement.
 *
 * <p>Each measured operation is a batch of calls into an empty queue (JMH's single-shot mode with a batch size): a
 * queue that filled up would measure the drop path instead. {@link Bench} prints the time per call and the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 10, batchSize = PublishPathBenchmark.BATCH)
@Measurement(iterations = 20, batchSize = PublishPathBenchmark.BATCH)
public class PublishPathBenchmark {

    static final int BATCH = 20_000;
    static final int SYNC_BATCH = 500;

    private EmbeddedKafkaKraftBroker broker;
    private SchemaRegistryServer registry;
    private SchemaRegistryClient client;
    private KafkaProducer<byte[], byte[]> producer;
    private EventPublisher publisher;
    private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    private List<RequestEvent> events;
    private int schemaId;
    private int next;

    @Setup(Level.Trial)
    public void startBrokerAndRegistry() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, EventTopics.DEFAULTS.all().toArray(String[]::new));
        broker.afterPropertiesSet();
        registry = SchemaRegistryServer.start(0);
        client = new SchemaRegistryClient(registry.baseUri());
        schemaId =
                client.register(EventTopics.subjectOf(EventTopics.DEFAULTS.request()), RequestEvent.getClassSchema());
        producer = new KafkaProducer<>(EventPublisherSettings.producerConfig(broker.getBrokersAsString()));
        events = IntStream.range(0, BATCH)
                .mapToObj(i -> SampleEvents.request(i, Instant.now()))
                .toList();
    }

    /** A publisher whose queue holds a whole batch, so every measured call is the common case: an offer that fits. */
    @Setup(Level.Iteration)
    public void connectPublisher() {
        publisher = EventPublisher.connect(
                broker.getBrokersAsString(),
                EventPublisherSettings.DEFAULTS.withQueueCapacity(BATCH * 2),
                client,
                new SimpleMeterRegistry());
    }

    @TearDown(Level.Iteration)
    public void drainPublisher() throws InterruptedException {
        publisher.awaitIdle(Duration.ofMinutes(1));
        publisher.close();
        producer.flush();
    }

    @TearDown(Level.Trial)
    public void stop() {
        producer.close();
        registry.close();
        broker.destroy();
    }

    private RequestEvent nextEvent() {
        RequestEvent event = events.get(next);
        next = (next + 1) % events.size();
        return event;
    }

    @Benchmark
    public void publish() {
        publisher.publish(nextEvent());
    }

    @Benchmark
    public void serializeAndSendOnTheCaller() {
        producer.send(
                new ProducerRecord<>(EventTopics.DEFAULTS.request(), serializer.serialize(schemaId, nextEvent())));
    }

    @Benchmark
    @Warmup(iterations = 3, batchSize = SYNC_BATCH)
    @Measurement(iterations = 5, batchSize = SYNC_BATCH)
    public void sendAndWaitForTheAck() throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(EventTopics.DEFAULTS.request(), serializer.serialize(schemaId, nextEvent())))
                .get();
    }
}
