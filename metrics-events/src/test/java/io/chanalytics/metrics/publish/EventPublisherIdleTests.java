package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.registry.SchemaRegistryServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * An idle publisher costs nothing: its drain thread sleeps once events stop coming (it used to wake 500 times a second,
 * 1.6 % of a core per service), and the next event still goes out at once. Measured as the drain thread's own CPU time,
 * the figure the issue was filed with.
 */
class EventPublisherIdleTests {

    private static final Duration IDLE = Duration.ofSeconds(10);
    /** 0.1 % of a core. */
    private static final double MAX_IDLE_CPU_SHARE = 0.001;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private SchemaRegistryServer registryServer;
    private MockProducer<byte[], byte[]> producer;
    private EventPublisher publisher;

    @BeforeEach
    void start() {
        registryServer = SchemaRegistryServer.start(0);
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        publisher = new EventPublisher(
                EventPublisherSettings.DEFAULTS,
                new SchemaRegistryClient(registryServer.baseUri()),
                new SimpleMeterRegistry(),
                producer);
    }

    @AfterEach
    void stop() {
        publisher.close();
        registryServer.close();
    }

    @Test
    void anIdleDrainThreadSleepsAndTheNextEventWakesIt(TestReporter reporter) throws Exception {
        publisher.publish(SampleEvents.request(0, Instant.now()));
        awaitPublished(1, Duration.ofSeconds(30));
        // Past the short looks that follow the last event.
        Thread.sleep(500);

        long cpuBefore = threads.getThreadCpuTime(publisher.drainThreadId());
        Thread.sleep(IDLE.toMillis());
        long idleCpu = threads.getThreadCpuTime(publisher.drainThreadId()) - cpuBefore;

        double share = (double) idleCpu / IDLE.toNanos();
        String figure =
                "%.3f ms of CPU in %d s (%.4f %% of a core)".formatted(idleCpu / 1e6, IDLE.toSeconds(), share * 100);
        reporter.publishEntry("idle drain thread", figure);
        System.out.println("idle drain thread: " + figure);
        assertThat(share).as("CPU share of the idle drain thread").isLessThan(MAX_IDLE_CPU_SHARE);

        long woken = System.nanoTime();
        publisher.publish(SampleEvents.request(1, Instant.now()));
        awaitPublished(2, Duration.ofSeconds(5));
        Duration latency = Duration.ofNanos(System.nanoTime() - woken);
        reporter.publishEntry("first event after the sleep sent in", latency.toMillis() + " ms");
        System.out.println("first event after the sleep sent in " + latency.toMillis() + " ms");
        assertThat(latency)
                .as("woken by the publisher, not by the end of its ten-second sleep")
                .isLessThan(Duration.ofMillis(200));
    }

    @Test
    void closingWakesASleepingDrainThread() throws Exception {
        publisher.publish(SampleEvents.request(0, Instant.now()));
        awaitPublished(1, Duration.ofSeconds(30));
        Thread.sleep(500);

        long start = System.nanoTime();
        publisher.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    }

    private void awaitPublished(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (producer.history().size() < count) {
            assertThat(System.nanoTime())
                    .as("%d events sent within %s", count, timeout)
                    .isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
