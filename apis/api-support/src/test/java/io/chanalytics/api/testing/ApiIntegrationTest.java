package io.chanalytics.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.testing.KafkaEventReader;
import io.chanalytics.metrics.testing.KafkaWithRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What every service's integration tests start from: the real service (the {@code @SpringBootApplication} above
 * the test's package) on a random port against the shared embedded PostgreSQL, a real Kafka broker and the
 * in-process schema registry, wired through the same environment variables a deployment sets; and the Kafka reads
 * those tests assert with. Each service extends it once (adding only what its context needs) and its tests extend
 * that, so Spring starts one context per module. The Spring annotations here are all {@code @Inherited}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "chanalytics.events.system-metrics-interval=1s",
            // The routes' behaviour, with the caller named by X-User-Id; sign-in itself is tested with Keycloak's own
            // tokens against the running stack (embedded-stack: SignInIntegrationTests).
            "chanalytics.auth.enabled=false"
        })
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class ApiIntegrationTest {

    public static final String REQUEST_TOPIC = EventTopics.DEFAULTS.request();
    public static final String BUSINESS_TOPIC = EventTopics.DEFAULTS.business();
    public static final String SYSTEM_TOPIC = EventTopics.DEFAULTS.systemMetrics();

    /** One broker and registry for the module's test JVM, like the one Spring context its tests share. */
    private static final KafkaWithRegistry KAFKA = KafkaWithRegistry.shared();

    private static final Function<SpecificRecord, Instant> EVENT_TIME = event -> switch (event) {
        case RequestEvent request -> request.getTimestamp();
        case BusinessEvent business -> business.getTimestamp();
        default -> Instant.EPOCH;
    };

    @Autowired
    protected WebTestClient client;

    @DynamicPropertySource
    static void endpoints(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabase.register(registry);
        registry.add("KAFKA_BOOTSTRAP_SERVERS", KAFKA::bootstrapServers);
        registry.add("KAFKA_PARTITIONS", () -> "1");
        registry.add("SCHEMA_REGISTRY_URL", () -> KAFKA.registryUri().toString());
    }

    protected KafkaEventReader kafka() {
        return KAFKA.reader();
    }

    /** Request and business events sent with this {@code X-Session-Id}. */
    protected static Predicate<SpecificRecord> ofSession(String sessionId) {
        return event -> sessionId.equals(
                switch (event) {
                    case RequestEvent request -> request.getSessionId();
                    case BusinessEvent business -> business.getSessionId();
                    default -> null;
                });
    }

    /** Request and business events sent with this {@code X-User-Id}. */
    protected static Predicate<SpecificRecord> ofUser(String userId) {
        return event -> userId.equals(
                switch (event) {
                    case RequestEvent request -> request.getUserId();
                    case BusinessEvent business -> business.getUserId();
                    default -> null;
                });
    }

    /**
     * Polls the topic until it holds {@code count} events of this test (the topics are shared by every test of the
     * module), then checks that it keeps exactly that many for a quiet second, so a late duplicate fails the test,
     * and returns them in call order.
     */
    protected <T extends SpecificRecord> List<T> awaitEvents(
            String topic, Class<T> type, int count, Predicate<SpecificRecord> ofThisTest) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> eventsOf(topic, type, ofThisTest).size() >= count);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> eventsOf(topic, type, ofThisTest).size() == count);
        List<T> events = new ArrayList<>(eventsOf(topic, type, ofThisTest));
        assertThat(events).hasSize(count);
        // A RequestEvent is published once its response completed, so the next call's event may overtake it in
        // Kafka; arrival timestamps keep the call order (the sort is stable for events of the same millisecond).
        events.sort(Comparator.comparing(EVENT_TIME));
        return events;
    }

    private <T extends SpecificRecord> List<T> eventsOf(
            String topic, Class<T> type, Predicate<SpecificRecord> ofThisTest) {
        return kafka().readAll(topic).stream()
                .filter(type::isInstance)
                .filter(ofThisTest)
                .map(type::cast)
                .toList();
    }

    /** The periodic reporter publishes to the system metrics topic under the service's name. */
    protected void assertSystemMetricsReportedBy(String serviceName) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(kafka().readAll(SYSTEM_TOPIC))
                        .anySatisfy(event -> assertThat(((SystemMetricsEvent) event).getServiceName())
                                .isEqualTo(serviceName)));
    }

    /** After a request: the publisher's counters are scraped by Prometheus and both health probes answer. */
    protected void assertPublishingCountersAndProbesExposed() {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(prometheusScrape())
                        // Registered at zero for every topic up front: a request event must have been published.
                        .containsPattern("chanalytics_events_published_total\\{topic=\"request-events\"} [1-9]")
                        .contains("chanalytics_events_dropped_total", "chanalytics_events_failed_total"));
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    /**
     * The service's Prometheus endpoint as a scraper reads it. Larger than WebTestClient's default buffer (256 KB)
     * once many routes have been called: each has its latency buckets.
     */
    protected String prometheusScrape() {
        return client.mutate()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024))
                .build()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    /** The docs page redirects to the Swagger UI and the OpenAPI document is served: its body, for its paths. */
    protected WebTestClient.BodyContentSpec expectApiDocs() {
        client.get().uri("/docs").exchange().expectStatus().is3xxRedirection();
        return client.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody();
    }
}
