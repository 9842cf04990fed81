package io.chanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.testing.KafkaEventReader;
import io.chanalytics.metrics.testing.KafkaWithRegistry;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.stack.Postgres;
import io.chanalytics.stack.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke run: both services from their executable jars on a real Kafka broker, schema registry and PostgreSQL,
 * then a short simulation over every endpoint. Gatling must see no failure, offer the configured rate, and every
 * request it sent must come back as exactly one {@code RequestEvent} on Kafka.
 */
class LoadSimulationIntegrationTests {

    static final Path RESULTS = Path.of("target", "gatling-smoke");
    static final Duration SERVICE_START_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path workDirectory;

    static final KafkaWithRegistry KAFKA = KafkaWithRegistry.perClass(1);
    static Postgres postgres;
    static ServiceProcess crudApi;
    static ServiceProcess ecommerceApi;

    @BeforeAll
    static void startStack() {
        KAFKA.start();
        postgres = Postgres.start(
                workDirectory.resolve("postgres"), TestSupport.freePort(), "chanalytics", "chanalytics", "chanalytics");
        Path logs = Path.of("target", "smoke-logs");
        // Both at once, as the stack does: each migrates only its own schema.
        crudApi = startService("crud-api", logs);
        ecommerceApi = startService("ecommerce-api", logs);
        crudApi.awaitReady(SERVICE_START_TIMEOUT);
        ecommerceApi.awaitReady(SERVICE_START_TIMEOUT);
    }

    @AfterAll
    static void stopStack() {
        for (AutoCloseable resource : new AutoCloseable[] {ecommerceApi, crudApi, postgres, KAFKA}) {
            TestSupport.closeQuietly(resource);
        }
    }

    @Test
    void shortRunHasNoErrorsAndEveryRequestBecomesExactlyOneRequestEvent(TestReporter reporter) throws IOException {
        // Open model: every arriving session sends all its requests, so the run offers rate x (hold + ramp / 2).
        String runId = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = Path.of("src", "test", "resources", "smoke-config.yaml").toAbsolutePath();
        double offeredRps = 20;
        double holdSeconds = 12;
        double rampSeconds = 2;
        Map<String, String> properties = Map.of(
                "simulator.config", config.toString(),
                "simulator.crud_api.base_url", "http://127.0.0.1:" + crudApi.port(),
                "simulator.ecommerce_api.base_url", "http://127.0.0.1:" + ecommerceApi.port());
        Files.createDirectories(RESULTS);

        // A few seconds of the same load first: freshly started JVMs answer slowly until their code is compiled,
        // which would bunch the measured run's requests into bursts.
        Map<String, String> warmUp = new HashMap<>(properties);
        warmUp.put("simulator.run_id", "warm-up");
        warmUp.put("simulator.duration_minutes", "0.05");
        TestSupport.withSystemProperties(warmUp, () -> SimulatorMain.run(RESULTS.resolve("warm-up")));

        Map<String, String> measured = new HashMap<>(properties);
        measured.put("simulator.run_id", runId);
        Instant started = Instant.now();
        int status = TestSupport.withSystemProperties(measured, () -> SimulatorMain.run(RESULTS));

        assertThat(status)
                .as("Gatling exit status (assertions of smoke-config.yaml)")
                .isZero();
        GatlingRunStats stats = GatlingRunStats.readLatest(RESULTS);
        assertThat(stats.failed()).as("KO responses").isZero();

        KafkaEventReader reader = KAFKA.reader();
        String userAgent = LoadSimulation.USER_AGENT_PREFIX + runId;
        assertThat(stats.requests()).as("requests Gatling sent").isPositive();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> requestEventsOf(reader, userAgent).size() >= stats.requests());
        // A late duplicate must not pass unnoticed: the count has to hold for a quiet second.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(10))
                .until(() -> requestEventsOf(reader, userAgent).size() == stats.requests());
        List<RequestEvent> events = requestEventsOf(reader, userAgent);
        assertThat(events).hasSize((int) stats.requests());

        // Achieved rate while holding, from the services' own timestamps: from one second after the ramp (the first
        // sessions are done) to one second before the last request (the last sessions are still arriving).
        Instant first = events.stream()
                .map(RequestEvent::getTimestamp)
                .min(Instant::compareTo)
                .orElseThrow();
        Instant last = events.stream()
                .map(RequestEvent::getTimestamp)
                .max(Instant::compareTo)
                .orElseThrow();
        Instant holdFrom = first.plusMillis((long) ((rampSeconds + 1) * 1000));
        Instant holdUntil = last.minusSeconds(1);
        long inHold = events.stream()
                .filter(event -> !event.getTimestamp().isBefore(holdFrom)
                        && event.getTimestamp().isBefore(holdUntil))
                .count();
        double holdRps = inHold / (Duration.between(holdFrom, holdUntil).toMillis() / 1000.0);
        // Rates are figures of this machine, not the contract: reported, and measured by the benchmarks.
        double achievedRps = stats.requests() / (holdSeconds + rampSeconds / 2);

        Set<String> sessions = events.stream().map(RequestEvent::getSessionId).collect(Collectors.toSet());
        List<BusinessEvent> views = businessEventsOf(reader, BusinessEventType.PRODUCT_VIEWED, sessions);
        long productViews = GatlingRunStats.countOf(RESULTS, Operation.VIEW_PRODUCT.displayName());
        assertThat(productViews).as("product views Gatling sent").isPositive();
        assertThat((long) views.size())
                .as("one PRODUCT_VIEWED per product view")
                .isEqualTo(productViews);
        List<BusinessEvent> orders = businessEventsOf(reader, BusinessEventType.ORDER_PLACED, sessions);
        long ordersPlaced = events.stream()
                .filter(event -> event.getStatusCode() == 201
                        && (event.getEndpoint().equals("/checkout")
                                || event.getEndpoint().equals("/orders")))
                .count();
        assertThat((long) orders.size())
                .as("one ORDER_PLACED per 201 from /checkout or /orders")
                .isEqualTo(ordersPlaced);
        assertThat(orders).allSatisfy(order -> assertThat(order.getAmount()).isPositive());

        reporter.publishEntry(
                "smoke run",
                String.format(
                        Locale.ROOT,
                        "%s: %d requests (%.0f offered), 0 KO, offered %.1f rps, achieved %.1f rps"
                                + " (%.1f while holding, Gatling's mean over the run incl. the tail %.2f), p95 %d ms,"
                                + " %d product views, %d orders placed, wall time %d s",
                        runId,
                        stats.requests(),
                        offeredRps * (holdSeconds + rampSeconds / 2),
                        offeredRps,
                        achievedRps,
                        holdRps,
                        stats.meanRequestsPerSecond(),
                        stats.p95Millis(),
                        views.size(),
                        orders.size(),
                        Duration.between(started, Instant.now()).toSeconds()));
    }

    private static List<RequestEvent> requestEventsOf(KafkaEventReader reader, String userAgent) {
        return reader.readAll("request-events").stream()
                .map(RequestEvent.class::cast)
                .filter(event -> userAgent.equals(event.getUserAgent()))
                .toList();
    }

    /** Business events of one run: each virtual user sends a fresh session id. */
    private static List<BusinessEvent> businessEventsOf(
            KafkaEventReader reader, BusinessEventType type, Set<String> sessions) {
        return reader.readAll("business-events").stream()
                .map(BusinessEvent.class::cast)
                .filter(event -> event.getEventType() == type && sessions.contains(event.getSessionId()))
                .toList();
    }

    private static ServiceProcess startService(String name, Path logs) {
        Path jar = ServiceProcess.builtJar(name);
        int port = TestSupport.freePort();
        Map<String, String> environment = new HashMap<>();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("POSTGRES_HOST", "127.0.0.1");
        environment.put("POSTGRES_PORT", Integer.toString(postgres.port()));
        environment.put("POSTGRES_DB", "chanalytics");
        environment.put("POSTGRES_USER", "chanalytics");
        environment.put("POSTGRES_PASSWORD", "chanalytics");
        environment.put("KAFKA_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
        environment.put("KAFKA_PARTITIONS", "1");
        environment.put("SCHEMA_REGISTRY_URL", KAFKA.registryUri().toString());
        // Open APIs, no Keycloak: this test measures the load and its events; signing in is BrokerOutage's stack's.
        environment.put("CHANALYTICS_AUTH_ENABLED", "false");
        return ServiceProcess.start(name, jar, port, environment, logs);
    }
}
