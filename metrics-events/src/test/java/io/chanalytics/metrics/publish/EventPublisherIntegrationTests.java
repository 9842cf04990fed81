package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.KafkaWithRegistry;
import io.chanalytics.metrics.testing.SampleEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real KRaft broker, real registry over HTTP: what goes in through the publisher comes out field for field. */
class EventPublisherIntegrationTests {

    private static final int N = 200;

    @RegisterExtension
    static final KafkaWithRegistry KAFKA = KafkaWithRegistry.perClass(1);

    @Test
    void everyEventArrivesOnceAndDecodesFieldForField() throws InterruptedException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<RequestEvent> requests = generate(i -> SampleEvents.request(i, now.plusMillis(i)));
        List<BusinessEvent> business = generate(i -> SampleEvents.business(i, now.plusMillis(i)));
        List<SystemMetricsEvent> system = generate(i -> SampleEvents.system(i, now.plusMillis(i)));
        var meters = new SimpleMeterRegistry();

        try (var publisher = EventPublisher.connect(
                KAFKA.bootstrapServers(),
                EventPublisherSettings.DEFAULTS,
                new SchemaRegistryClient(KAFKA.registryUri()),
                meters)) {
            for (int i = 0; i < N; i++) {
                assertThat(publisher.publish(requests.get(i))).isTrue();
                assertThat(publisher.publish(business.get(i))).isTrue();
                assertThat(publisher.publish(system.get(i))).isTrue();
            }
            assertThat(publisher.awaitIdle(Duration.ofSeconds(30))).isTrue();

            PublisherStats stats = publisher.stats();
            assertThat(stats.published()).isEqualTo(3L * N);
            assertThat(stats.failed() + stats.dropped()).isZero();
            assertThat(meters.get("chanalytics.events.published")
                            .tag("topic", "business-events")
                            .counter()
                            .count())
                    .isEqualTo(N);
        }

        var reader = KAFKA.reader();
        Duration timeout = Duration.ofSeconds(30);
        assertThat(reader.<RequestEvent>readExactly("request-events", N, timeout))
                .isEqualTo(requests);
        assertThat(reader.<BusinessEvent>readExactly("business-events", N, timeout))
                .isEqualTo(business);
        assertThat(reader.<SystemMetricsEvent>readExactly("system-metrics", N, timeout))
                .isEqualTo(system);
    }

    private static <T> List<T> generate(IntFunction<T> event) {
        return IntStream.range(0, N).mapToObj(event).toList();
    }
}
