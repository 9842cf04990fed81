package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.PublisherStats;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.KafkaCluster;
import io.chanalytics.registry.SchemaRegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broker failover under load, on real parts: a three-broker KRaft cluster (topics replicated three times,
 * {@code min.insync.replicas} 2), the services' {@link EventPublisher} with its {@code acks=all} idempotent producer,
 * and the embedded ClickHouse consuming every broker. Five times in a row the leader of a partition of the request
 * topic stops while events keep coming, then starts again and catches up. Every acknowledged event must reach
 * ClickHouse, copies from consumer rebalances must fold away (ReplacingMergeTree, uniqExact), and whatever was not
 * acknowledged must sit in the publisher's failed or dropped counters.
 */
class KafkaFailoverIntegrationTests {

    static final EventTopics TOPICS = EventTopics.DEFAULTS;
    static final int PARTITIONS = 6;
    static final int EVENTS_PER_SECOND = 800;
    static final int RESTARTS = 5;
    static final Duration OUTAGE = Duration.ofSeconds(3);

    @TempDir
    Path workDirectory;

    @Test
    void stoppingThePartitionLeaderFiveTimesLosesNoAcknowledgedEvent(TestReporter reporter) throws Exception {
        String service = "failover-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaCluster kafka = KafkaCluster.start(3, PARTITIONS, TOPICS.all());
                SchemaRegistryServer registry = SchemaRegistryServer.start(0);
                EventPublisher publisher = EventPublisher.connect(
                        kafka.bootstrapServers(),
                        EventPublisherSettings.DEFAULTS.withQueueCapacity(100_000),
                        new SchemaRegistryClient(registry.baseUri()),
                        new SimpleMeterRegistry());
                EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(
                        workDirectory.resolve("clickhouse"),
                        SchemaVariables.with(Map.of(
                                "CH_KAFKA_BROKER_LIST",
                                kafka.bootstrapServers(),
                                "CH_SCHEMA_REGISTRY_URL",
                                registry.baseUri().toString(),
                                "CH_KAFKA_FLUSH_INTERVAL_MS",
                                "250",
                                "CH_KAFKA_NUM_CONSUMERS",
                                "3")))) {
            clickHouse.awaitKafkaConsumers(Duration.ofSeconds(60));
            ChDb engine = clickHouse.engine();

            Load load = Load.start(publisher, service);
            List<String> cycles = new ArrayList<>();
            try {
                load.awaitOffered(2 * EVENTS_PER_SECOND);
                load.markOutage(false);
                for (int restart = 0; restart < RESTARTS; restart++) {
                    int partition = restart % PARTITIONS;
                    int leader = kafka.leaderOf(TOPICS.request(), partition);
                    long acknowledgedBefore = publisher.stats().published();
                    long stopping = System.nanoTime();
                    load.markOutage(true);
                    kafka.stopBroker(leader);
                    LockSupport.parkNanos(OUTAGE.toNanos());
                    long acknowledgedWhileDown = publisher.stats().published() - acknowledgedBefore;
                    kafka.startBroker(leader);
                    kafka.awaitFullyReplicated(TOPICS.all(), Duration.ofSeconds(60));
                    load.markOutage(false);
                    cycles.add("restart %d: broker %d (leader of %s-%d) down %d ms, back in sync after %d ms;"
                                    .formatted(
                                            restart + 1,
                                            leader,
                                            TOPICS.request(),
                                            partition,
                                            OUTAGE.toMillis(),
                                            (System.nanoTime() - stopping) / 1_000_000)
                            + " %d events acknowledged meanwhile".formatted(acknowledgedWhileDown));
                    assertThat(acknowledgedWhileDown)
                            .as(
                                    "with two of three replicas in sync the cluster keeps acknowledging (restart %d)",
                                    restart + 1)
                            .isPositive();
                }
                load.awaitOffered(load.offered() + EVENTS_PER_SECOND);
            } finally {
                load.stop();
            }
            assertThat(publisher.awaitIdle(Duration.ofSeconds(60)))
                    .as("publisher drained")
                    .isTrue();
            PublisherStats stats = publisher.stats();
            assertThat(stats.offered()).as("every publish() call counted").isEqualTo(load.offered());
            assertThat(stats.published() + stats.failed() + stats.dropped())
                    .as("each event acknowledged, failed or dropped: %s", stats)
                    .isEqualTo(stats.offered());
            assertThat(stats.published()).as("acknowledged events").isPositive();

            String ofService = " FROM analytics.request_metrics WHERE service_name = '" + service + "'";
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(engine.queryLong("SELECT uniqExact(event_id)" + ofService))
                            .as("distinct events in ClickHouse")
                            .isEqualTo(stats.published()));
            long rows = engine.queryLong("SELECT count()" + ofService);
            long afterMerge = engine.queryLong(
                    "SELECT count() FROM analytics.request_metrics FINAL WHERE service_name = '" + service + "'");
            long rolledUp = engine.queryLong(
                    "SELECT countMerge(requests) FROM analytics.request_metrics_1m WHERE service_name = '" + service
                            + "'");
            assertThat(afterMerge)
                    .as("rows after ReplacingMergeTree's deduplication")
                    .isEqualTo(stats.published());
            assertThat(rolledUp)
                    .as("the rollup saw the same blocks as the raw table, copies included")
                    .isEqualTo(rows);

            cycles.forEach(line -> report(reporter, line));
            report(
                    reporter,
                    ("offered %d, acknowledged %d, failed %d, dropped %d; in ClickHouse %d rows, %d distinct events"
                                    + " (%d copies removed); publish() p99 %.3f ms steady, %.3f ms while a broker was"
                                    + " down (ratio %.2f)")
                            .formatted(
                                    stats.offered(),
                                    stats.published(),
                                    stats.failed(),
                                    stats.dropped(),
                                    rows,
                                    afterMerge,
                                    rows - afterMerge,
                                    load.p99Millis(false),
                                    load.p99Millis(true),
                                    load.p99Millis(true) / load.p99Millis(false)));
            assertThat(load.p99Millis(true))
                    .as("publish() is an enqueue: a broker outage does not reach the caller")
                    .isLessThan(5.0);
        }
    }

    /** The figures the closing notes quote: in the test report and in the test's output file. */
    private static void report(TestReporter reporter, String line) {
        reporter.publishEntry("failover", line);
        System.out.println("failover: " + line);
    }

    /** Publishes request events at a steady rate on its own thread and times each publish() call. */
    static final class Load {

        private final EventPublisher publisher;
        private final String service;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean outage = new AtomicBoolean();
        private final AtomicInteger offered = new AtomicInteger();
        private final long[][] latencies = {new long[1 << 20], new long[1 << 20]};
        private final int[] counts = new int[2];
        private Thread thread;

        private Load(EventPublisher publisher, String service) {
            this.publisher = publisher;
            this.service = service;
        }

        static Load start(EventPublisher publisher, String service) {
            Load load = new Load(publisher, service);
            load.thread = Thread.ofPlatform().name("failover-load").start(load::run);
            return load;
        }

        private void run() {
            Random random = new Random(42);
            long period = 1_000_000_000L / EVENTS_PER_SECOND;
            long next = System.nanoTime();
            while (running.get()) {
                RequestEvent event = RequestEvent.newBuilder(TestEvents.request(random, Instant.now()))
                        .setServiceName(service)
                        .build();
                long start = System.nanoTime();
                publisher.publish(event);
                long took = System.nanoTime() - start;
                record(outage.get() ? 1 : 0, took);
                offered.incrementAndGet();
                next += period;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }

        private synchronized void record(int phase, long nanos) {
            if (counts[phase] < latencies[phase].length) {
                latencies[phase][counts[phase]++] = nanos;
            }
        }

        void markOutage(boolean down) {
            outage.set(down);
        }

        int offered() {
            return offered.get();
        }

        void awaitOffered(int events) {
            await().atMost(Duration.ofSeconds(60)).until(() -> offered.get() >= events);
        }

        synchronized double p99Millis(boolean duringOutage) {
            int phase = duringOutage ? 1 : 0;
            long[] sorted = Arrays.copyOf(latencies[phase], counts[phase]);
            Arrays.sort(sorted);
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1e6;
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
