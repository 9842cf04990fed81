package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.registry.SchemaRegistryServer;
import io.chanalytics.metrics.testing.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * With no broker at all, publishing must still return at once and account for every event. The timings are printed
 * (they are measurements, not the contract); the test asserts only a bound far above them so a noisy machine cannot
 * make it flaky, plus the exact accounting.
 */
class EventPublisherBrokerDownTests {

    private static final int EVENTS = 10_000;

    @Test
    void publishNeverBlocksAndEveryEventIsAccountedFor() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var settings = EventPublisherSettings.defaults("127.0.0.1:" + closedPort)
                .withQueueCapacity(1_000)
                .withProducerOverrides(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 200));
        long[] nanos = new long[EVENTS];
        PublisherStats afterPublish;
        PublisherStats afterClose;
        try (var registry = SchemaRegistryServer.start(0)) {
            var publisher = new EventPublisher(
                    settings, new SchemaRegistryClient(registry.baseUri()), new SimpleMeterRegistry());
            var now = Instant.now();
            for (int i = 0; i < EVENTS; i++) {
                var event = SampleEvents.request(i, now);
                long start = System.nanoTime();
                publisher.publish(event);
                nanos[i] = System.nanoTime() - start;
            }
            afterPublish = publisher.stats();
            publisher.close();
            afterClose = publisher.stats();
        }

        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double meanMicros = Arrays.stream(nanos).average().orElseThrow() / 1_000;
        System.out.printf(
                "publish() with broker down, %d calls: first %.2f us, mean %.2f us, p50 %.2f us, p99 %.2f us,"
                        + " max %.2f us; %s%n",
                EVENTS,
                nanos[0] / 1_000.0,
                meanMicros,
                sorted[EVENTS / 2] / 1_000.0,
                sorted[EVENTS * 99 / 100] / 1_000.0,
                sorted[EVENTS - 1] / 1_000.0,
                afterClose);

        assertThat(meanMicros).as("mean publish() time in microseconds").isLessThan(100);
        assertThat(sorted[EVENTS * 99 / 100]).as("p99 publish() nanos").isLessThan(1_000_000);
        assertThat(afterPublish.offered()).isEqualTo(EVENTS);
        assertThat(afterPublish.accountedFor()).isEqualTo(EVENTS);
        assertThat(afterPublish.dropped()).as("queue of 1,000 overflowed").isGreaterThanOrEqualTo(EVENTS - 1_000 - 50);
        assertThat(afterClose.published()).isZero();
        assertThat(afterClose.failed() + afterClose.dropped()).isEqualTo(EVENTS);
        assertThat(afterClose.queued() + afterClose.inFlight()).isZero();
    }
}
