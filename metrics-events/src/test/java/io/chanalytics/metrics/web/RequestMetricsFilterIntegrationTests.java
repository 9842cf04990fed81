package io.chanalytics.metrics.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.system.SystemMetricsReporter;
import io.chanalytics.metrics.testing.KafkaWithRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
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
        properties = {"spring.application.name=recording-test", "chanalytics.events.system-metrics-interval=1h"})
@AutoConfigureWebTestClient
class RequestMetricsFilterIntegrationTests {

    @RegisterExtension
    static final KafkaWithRegistry KAFKA = KafkaWithRegistry.perClass(1);

    private static final int ROUNDS = 5;

    @Autowired
    private WebTestClient client;

    @Autowired
    private SystemMetricsReporter reporter;

    @DynamicPropertySource
    static void kafkaAndRegistry(DynamicPropertyRegistry properties) {
        properties.add("spring.kafka.bootstrap-servers", () -> KAFKA.start().bootstrapServers());
        properties.add(
                "chanalytics.events.schema-registry-url",
                () -> KAFKA.registryUri().toString());
    }

    @Test
    void eachRequestBecomesOneRequestEvent() {
        Instant before = Instant.now();
        // Every request of this test carries its own user agent: the events are told apart from any other test's.
        String agent = "tests/" + UUID.randomUUID();
        WebTestClient client =
                this.client.mutate().defaultHeader("User-Agent", agent).build();
        for (int i = 0; i < ROUNDS; i++) {
            client.get()
                    .uri("/items/{id}", "item-" + i)
                    .header("X-User-Id", "user-" + i)
                    .header("X-Session-Id", "session-" + i)
                    .header("X-Region", "eu-west")
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

        List<RequestEvent> events =
                KAFKA.reader().readExactly("request-events", ROUNDS * 5, Duration.ofSeconds(30), byAgent(agent));

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
            // the process's ids (EventIds): its prefix, then its count
            assertThat(e.getEventId().version()).isEqualTo(8);
            assertThat(e.getEventId().getMostSignificantBits())
                    .isEqualTo(events.getFirst().getEventId().getMostSignificantBits());
        });
        assertThat(events.stream().map(RequestEvent::getEventId).distinct()).hasSameSizeAs(events);

        Map<String, RequestEvent> views = byRouteAndStatus.get("GET /items/{id} 200").stream()
                .collect(Collectors.toMap(RequestEvent::getProductId, Function.identity()));
        RequestEvent view = views.get("item-3");
        assertThat(view.getUserId()).isEqualTo("user-3");
        assertThat(view.getSessionId()).isEqualTo("session-3");
        assertThat(view.getRegion()).isEqualTo("eu-west");
        assertThat(view.getUserAgent()).isEqualTo(agent);
        assertThat(view.getProductCategory()).isEqualTo("books");
        assertThat(view.getClientIp()).isEqualTo("127.0.0.1");
        assertThat(view.getRequestSizeBytes()).isZero();
        assertThat(view.getResponseSizeBytes()).isEqualTo("{\"id\":\"item-3\",\"name\":\"Item item-3\"}".length());

        assertThat(byRouteAndStatus.get("POST /items 201")).allSatisfy(post -> {
            assertThat(post.getClientIp())
                    .as("the peer's address: X-Forwarded-For is only believed once a trusted proxy's (api-support)")
                    .isEqualTo("127.0.0.1");
            assertThat(post.getRequestSizeBytes()).isEqualTo("hello-0".length());
            assertThat(post.getResponseSizeBytes()).isEqualTo("HELLO-0".length());
            assertThat(post.getTransactionAmount()).isEqualTo(12.5);
            assertThat(post.getCartItemsCount()).isEqualTo(2);
            assertThat(post.getUserId()).isNull();
            assertThat(post.getRegion()).isNull();
        });
    }

    @Test
    void aSessionCookieStandsInForTheSessionHeader() {
        String agent = "tests/" + UUID.randomUUID();
        client.get()
                .uri("/items/{id}", "cookie")
                .header("User-Agent", agent)
                .cookie("SESSION", "cookie-session-1")
                .exchange()
                .expectStatus()
                .isOk();
        client.get()
                .uri("/items/{id}", "both")
                .header("User-Agent", agent)
                .header("X-Session-Id", "header-session")
                .cookie("SESSION", "cookie-session-2")
                .exchange()
                .expectStatus()
                .isOk();

        List<RequestEvent> events =
                KAFKA.reader().readExactly("request-events", 2, Duration.ofSeconds(30), byAgent(agent));

        assertThat(events)
                .extracting(RequestEvent::getProductId, RequestEvent::getSessionId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("cookie", "cookie-session-1"),
                        org.assertj.core.groups.Tuple.tuple("both", "header-session"));
    }

    @Test
    void theInstanceReportsItsResources() {
        // Excluded from recording (so the other test's count stays exact), but it holds a connection open.
        client.get().uri("/actuator/info").exchange();
        // Some CPU for this process to report: a constant or a system-wide figure would not follow it.
        burnCpu(Duration.ofMillis(500));
        Instant before = Instant.now();
        int threadsNow = ManagementFactory.getThreadMXBean().getThreadCount();
        reporter.report();

        List<SystemMetricsEvent> reports = KAFKA.reader()
                .readExactly(
                        "system-metrics",
                        1,
                        Duration.ofSeconds(30),
                        event -> !((SystemMetricsEvent) event).getTimestamp().isBefore(before));

        SystemMetricsEvent report = reports.getFirst();
        assertThat(report.getServiceName()).isEqualTo("recording-test");
        assertThat(report.getHeapUsedBytes()).isPositive().isLessThanOrEqualTo(report.getHeapCommittedBytes());
        assertThat(report.getHeapMaxBytes())
                .isEqualTo(
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax());
        assertThat(report.getLiveThreads())
                .as("the reporting JVM is this one: its live threads, give or take a few started meanwhile")
                .isBetween(threadsNow - 5, threadsNow + 5);
        assertThat(report.getProcessCpuUsage())
                .as("this process just kept a core busy")
                .isGreaterThan(0.0)
                .isLessThanOrEqualTo(1.0);
        assertThat(report.getActiveHttpConnections())
                .as("WebTestClient keeps its keep-alive connection open")
                .isPositive();
        assertThat(report.getInFlightRequests()).isZero();
        assertThat(report.getPublisherDroppedTotal()).isZero();
    }

    private static java.util.function.Predicate<Object> byAgent(String agent) {
        return event -> event instanceof RequestEvent request && agent.equals(request.getUserAgent());
    }

    private static void burnCpu(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += Long.numberOfTrailingZeros(sink + end);
        }
        assertThat(sink).isNotNegative();
    }
}
