package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.registry.SchemaRegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * With Kafka unreachable, publishing must still return at once and account for every event. What is asserted is the
 * mechanism, not a duration (durations belong to {@code PublishPathBenchmark}): the calling thread never blocks on a
 * monitor nor parks on a lock or condition, however long the drain thread is stuck in the Kafka client.
 */
class EventPublisherBrokerDownTests {

    private static final int EVENTS = 10_000;
    private static final int CAPACITY = 1_000;

    private SchemaRegistryServer registryServer;
    private SchemaRegistryClient registry;

    @BeforeEach
    void startRegistry() {
        registryServer = SchemaRegistryServer.start(0);
        registry = new SchemaRegistryClient(registryServer.baseUri());
    }

    @AfterEach
    void stopRegistry() {
        registryServer.close();
    }

    @Test
    void theCallerNeverWaitsWhileTheDrainThreadIsStuckInKafka() throws Exception {
        var stuck = new StuckProducer();
        var publisher = new EventPublisher(
                EventPublisherSettings.DEFAULTS.withQueueCapacity(CAPACITY),
                registry,
                new SimpleMeterRegistry(),
                stuck);
        try {
            publisher.publish(SampleEvents.request(0, Instant.now()));
            assertThat(stuck.entered.await(30, TimeUnit.SECONDS))
                    .as("the drain thread reached the producer")
                    .isTrue();

            WaitCounts waits = CompletableFuture.supplyAsync(() -> publishCountingWaits(publisher, EVENTS - 1))
                    .get(30, TimeUnit.SECONDS);

            assertThat(waits.blocked())
                    .as("times the caller blocked on a monitor")
                    .isZero();
            assertThat(waits.waited()).as("times the caller parked or waited").isZero();
            PublisherStats stats = publisher.stats();
            assertThat(stats.offered()).isEqualTo(EVENTS);
            assertThat(stats.queued()).isEqualTo(CAPACITY);
            assertThat(stats.dropped()).isEqualTo(EVENTS - 1 - CAPACITY);
            assertThat(stats.inFlight()).as("the one stuck in send()").isEqualTo(1);
        } finally {
            stuck.release.countDown();
            publisher.close();
        }
        PublisherStats closed = publisher.stats();
        assertThat(closed.accountedFor()).isEqualTo(EVENTS);
        assertThat(closed.queued() + closed.inFlight()).isZero();
    }

    @Test
    void withNoBrokerAtAllEveryEventIsAccountedFor(TestReporter reporter) throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> config = EventPublisherSettings.producerConfig("127.0.0.1:" + closedPort);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200);
        var meters = new SimpleMeterRegistry();
        var publisher = new EventPublisher(
                EventPublisherSettings.DEFAULTS.withQueueCapacity(CAPACITY),
                registry,
                meters,
                new KafkaProducer<>(config));
        long[] nanos = new long[EVENTS];
        var now = Instant.now();
        for (int i = 0; i < EVENTS; i++) {
            var event = SampleEvents.request(i, now);
            long start = System.nanoTime();
            publisher.publish(event);
            nanos[i] = System.nanoTime() - start;
        }
        PublisherStats afterPublish = publisher.stats();
        publisher.close();
        PublisherStats afterClose = publisher.stats();

        Arrays.sort(nanos);
        reporter.publishEntry(
                "publish() with broker down (figures, not the contract)",
                "p50 %.2f us, p99 %.2f us, max %.2f us"
                        .formatted(nanos[EVENTS / 2] / 1e3, nanos[EVENTS * 99 / 100] / 1e3, nanos[EVENTS - 1] / 1e3));
        assertThat(afterPublish.offered()).isEqualTo(EVENTS);
        assertThat(afterPublish.accountedFor()).isEqualTo(EVENTS);
        assertThat(afterPublish.dropped())
                .as("queue of 1,000 overflowed")
                .isGreaterThanOrEqualTo(EVENTS - CAPACITY - 50);
        assertThat(afterClose.published()).isZero();
        assertThat(afterClose.failed() + afterClose.dropped()).isEqualTo(EVENTS);
        assertThat(afterClose.queued() + afterClose.inFlight()).isZero();
        // Each stream's losses are its own (request events here): they add up with what reached ClickHouse per table.
        String topic = EventTopics.DEFAULTS.request();
        assertThat(meters.get("chanalytics.events.dropped")
                                .tag("topic", topic)
                                .counter()
                                .count()
                        + meters.get("chanalytics.events.failed")
                                .tag("topic", topic)
                                .counter()
                                .count())
                .isEqualTo(EVENTS);
        assertThat(meters.get("chanalytics.events.dropped")
                        .tag("topic", EventTopics.DEFAULTS.business())
                        .counter()
                        .count())
                .as("registered before any drop, at zero")
                .isZero();
    }

    /** Publishes from the current thread and says how often it blocked or waited meanwhile (JVM thread counters). */
    private static WaitCounts publishCountingWaits(EventPublisher publisher, int count) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        var now = Instant.now();
        var events = java.util.stream.IntStream.range(1, count + 1)
                .mapToObj(i -> SampleEvents.request(i, now))
                .toList();
        ThreadInfo before = threads.getThreadInfo(id);
        events.forEach(publisher::publish);
        ThreadInfo after = threads.getThreadInfo(id);
        return new WaitCounts(
                after.getBlockedCount() - before.getBlockedCount(), after.getWaitedCount() - before.getWaitedCount());
    }

    private record WaitCounts(long blocked, long waited) {}

    /** A producer whose send() hangs, as the real client's does while it waits for metadata from a dead broker. */
    private static final class StuckProducer extends MockProducer<byte[], byte[]> {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        StuckProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new org.apache.kafka.common.errors.TimeoutException("metadata not available (test)");
        }

        @Override
        public void close(Duration timeout) {}
    }
}
