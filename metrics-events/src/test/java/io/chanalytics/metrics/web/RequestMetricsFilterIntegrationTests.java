package io.chanalytics.metrics.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.registry.SchemaRegistryServer;
import io.chanalytics.metrics.system.SystemMetricsReporter;
import io.chanalytics.metrics.testing.KafkaEventReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A WebFlux app with nothing but the dependency: every request it serves — 2xx, 4xx, 5xx, unmatched — shows up once on
 * the real {@code request-events} topic with its route template, status, sizes and header-derived fields.
 */
@SpringBootTest(
        classes = RecordingTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.application.name=recording-test",
            "chanalytics.events.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "chanalytics.events.system-metrics-interval=1h"
        })
@AutoConfigureWebTestClient
@EmbeddedKafka(
        partitions = 1,
        topics = {"request-events", "business-events", "system-metrics"})
class RequestMetricsFilterIntegrationTests {

    private static final SchemaRegistryServer registry = SchemaRegistryServer.start(0);
    private static final int ROUNDS = 5;

    @Autowired
    private WebTestClient client;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @Autowired
    private SystemMetricsReporter reporter;

    @DynamicPropertySource
    static void registryUrl(DynamicPropertyRegistry properties) {
        properties.add(
                "chanalytics.events.schema-registry-url",
                () -> registry.baseUri().toString());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void eachRequestBecomesOneRequestEvent() {
        Instant before = Instant.now();
        for (int i = 0; i < ROUNDS; i++) {
            client.get()
                    .uri("/items/{id}", "item-" + i)
                    .header("X-User-Id", "user-" + i)
                    .header("X-Session-Id", "session-" + i)
                    .header("X-Region", "eu-west")
                    .header("User-Agent", "tests/1.0")
                    .exchange()
                    .expectStatus()
                    .isOk();
            client.post()
                    .uri("/items")
                    .contentType(MediaType.TEXT_PLAIN)
                    .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1")
                    .bodyValue("hello-" + i)
                    .exchange()
                    .expectStatus()
                    .isCreated();
            client.get().uri("/items/missing").exchange().expectStatus().isNotFound();
            client.get().uri("/boom").exchange().expectStatus().is5xxServerError();
            client.get().uri("/no/such/route/" + i).exchange().expectStatus().isNotFound();
            client.get().uri("/actuator/health").exchange();
        }

        List<RequestEvent> events = new KafkaEventReader(broker.getBrokersAsString(), registry.baseUri())
                .readExactly("request-events", ROUNDS * 5, Duration.ofSeconds(30));

        Map<String, List<RequestEvent>> byRouteAndStatus = events.stream()
                .collect(Collectors.groupingBy(e -> e.getMethod() + " " + e.getEndpoint() + " " + e.getStatusCode()));
        assertThat(byRouteAndStatus)
                .containsOnlyKeys(
                        "GET /items/{id} 200",
                        "POST /items 201",
                        "GET /items/{id} 404",
                        "GET /boom 500",
                        "GET UNMATCHED 404")
                .allSatisfy((key, list) -> assertThat(list).as(key).hasSize(ROUNDS));

        assertThat(events).allSatisfy(e -> {
            assertThat(e.getServiceName()).isEqualTo("recording-test");
            assertThat(e.getInstanceId()).contains(":");
            assertThat(e.getTimestamp()).isBetween(before.minusMillis(1), Instant.now());
            assertThat(e.getResponseTimeMs()).isPositive().isLessThan(30_000);
        });

        Map<String, RequestEvent> views = byRouteAndStatus.get("GET /items/{id} 200").stream()
                .collect(Collectors.toMap(RequestEvent::getProductId, Function.identity()));
        RequestEvent view = views.get("item-3");
        assertThat(view.getUserId()).isEqualTo("user-3");
        assertThat(view.getSessionId()).isEqualTo("session-3");
        assertThat(view.getRegion()).isEqualTo("eu-west");
        assertThat(view.getUserAgent()).isEqualTo("tests/1.0");
        assertThat(view.getProductCategory()).isEqualTo("books");
        assertThat(view.getClientIp()).isEqualTo("127.0.0.1");
        assertThat(view.getRequestSizeBytes()).isZero();
        assertThat(view.getResponseSizeBytes()).isEqualTo("{\"id\":\"item-3\",\"name\":\"Item item-3\"}".length());

        assertThat(byRouteAndStatus.get("POST /items 201")).allSatisfy(post -> {
            assertThat(post.getClientIp()).isEqualTo("203.0.113.7");
            assertThat(post.getRequestSizeBytes()).isEqualTo("hello-0".length());
            assertThat(post.getResponseSizeBytes()).isEqualTo("HELLO-0".length());
            assertThat(post.getTransactionAmount()).isEqualTo(12.5);
            assertThat(post.getCartItemsCount()).isEqualTo(2);
            assertThat(post.getUserId()).isNull();
            assertThat(post.getRegion()).isNull();
        });
    }

    @Test
    void theInstanceReportsItsResources() {
        // Excluded from recording (so the other test's count stays exact), but it holds a connection open.
        client.get().uri("/actuator/info").exchange();
        reporter.report();

        List<SystemMetricsEvent> reports = new KafkaEventReader(broker.getBrokersAsString(), registry.baseUri())
                .readExactly("system-metrics", 1, Duration.ofSeconds(30));

        SystemMetricsEvent report = reports.getFirst();
        assertThat(report.getServiceName()).isEqualTo("recording-test");
        assertThat(report.getHeapUsedBytes()).isPositive().isLessThanOrEqualTo(report.getHeapCommittedBytes());
        assertThat(report.getLiveThreads()).isGreaterThan(5);
        assertThat(report.getProcessCpuUsage()).isBetween(-1.0, 1.0);
        assertThat(report.getActiveHttpConnections())
                .as("WebTestClient keeps its keep-alive connection open")
                .isPositive();
        assertThat(report.getInFlightRequests()).isZero();
        assertThat(report.getPublisherDroppedTotal()).isZero();
    }
}
