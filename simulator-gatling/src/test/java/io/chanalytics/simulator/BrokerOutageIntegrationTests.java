package io.chanalytics.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.stack.EmbeddedStack;
import io.chanalytics.stack.PoisonMessages;
import io.chanalytics.stack.ServiceProcess;
import io.chanalytics.stack.StackSettings;
import io.chanalytics.stack.monitoring.AlertChecks;
import io.chanalytics.stack.monitoring.AlertNotification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka down in the middle of a simulator run, on the embedded stack (the real broker, ClickHouse consuming it, both
 * services as processes). The services must keep answering as before: no failed request and a probe's p99 during the
 * outage within 1.2x of the p99 before it, because publishing never waits for Kafka. And nothing may vanish: every
 * request served is either a row in ClickHouse or counted by its service as dropped or failed for the request topic.
 *
 * <p>And someone is told: the stack runs the real Prometheus and Alertmanager (where installed; always in CI) with the
 * repository's rules and routing. A poison message before the outage fires IngestErrors; the outage lasts until the
 * delivery and freshness alerts (EventDeliveryFailing, IngestionStalled) have reached the stack's webhook through
 * Alertmanager, at least 30 s; once Kafka is back both resolve. The times from fault to notification are printed.
 */
class BrokerOutageIntegrationTests {

    static final Path RESULTS = Path.of("target", "gatling-outage");
    static final Duration BEFORE = Duration.ofSeconds(30);
    static final Duration OUTAGE = Duration.ofSeconds(30);
    static final Duration ALERT_DEADLINE = Duration.ofMinutes(4);
    static final Duration AFTER = Duration.ofSeconds(5);
    static final Duration PROBE_WARM_UP = Duration.ofSeconds(15);
    static final double RUN_MINUTES = 1.3;
    static final int PROBE_PER_SECOND = 50;
    static final String REQUEST_TOPIC = "request-events";

    @TempDir
    static Path data;

    static StackSettings settings;
    static EmbeddedStack stack;

    @BeforeAll
    static void startStack() {
        settings = StackSettings.onFreePorts(
                data, 1, ServiceProcess.builtJar("crud-api"), ServiceProcess.builtJar("ecommerce-api"));
        stack = EmbeddedStack.start(settings);
    }

    @AfterAll
    static void stopStack() {
        TestSupport.closeQuietly(stack);
    }

    @Test
    void servicesAnswerThroughAKafkaOutageAndEveryRequestIsStoredOrCounted(TestReporter reporter) throws Exception {
        URI crud = URI.create("http://127.0.0.1:" + settings.crudApiPort());
        URI ecommerce = URI.create("http://127.0.0.1:" + settings.ecommerceApiPort());
        Map<String, String> properties = new HashMap<>(Map.of(
                "simulator.config",
                Path.of("src", "test", "resources", "smoke-config.yaml")
                        .toAbsolutePath()
                        .toString(),
                "simulator.crud_api.base_url",
                crud.toString(),
                "simulator.ecommerce_api.base_url",
                ecommerce.toString(),
                // The stack signs callers in (.env's default): the simulator gets its tokens from this stack's
                // Keycloak.
                "simulator.keycloak_url",
                settings.keycloak().localBase().toString(),
                "simulator.keycloak_password",
                settings.keycloak().demoPassword()));
        Files.createDirectories(RESULTS);
        // Warm-up, not measured: freshly started services answer slowly until their code is compiled.
        Map<String, String> warmUp = new HashMap<>(properties);
        warmUp.put("simulator.run_id", "warm-up");
        warmUp.put("simulator.duration_minutes", "0.1");
        TestSupport.withSystemProperties(warmUp, () -> SimulatorMain.run(RESULTS.resolve("warm-up")));

        String runId = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String probeAgent = "outage-probe/" + runId;
        double lostBefore = lostRequestEvents(crud) + lostRequestEvents(ecommerce);
        properties.put("simulator.run_id", runId);
        properties.put("simulator.duration_minutes", Double.toString(RUN_MINUTES));
        CompletableFuture<Integer> simulation = CompletableFuture.supplyAsync(
                () -> TestSupport.withSystemProperties(properties, () -> SimulatorMain.run(RESULTS)));
        Probe probe = Probe.start(crud.resolve("/products?page=0&size=5"), probeAgent);
        // Not compared: the probe's own client warming up, and the run's first seconds, in which the simulator seeds
        // its demo data; the comparison starts once the load is steady.
        LockSupport.parkNanos(PROBE_WARM_UP.toNanos());
        probe.phase(Probe.BEFORE);
        long beforeStarted = System.nanoTime();
        var alerts = new AlertChecks(stack.monitoring());
        boolean alerting = alerts.available();
        Instant poisoned = Instant.now();
        if (alerting) {
            // Scraped at 0 first, so that the poison message is an increase; the lag of ClickHouse's groups is there.
            alerts.awaitSeries("ClickHouseProfileEvents_KafkaMessagesFailed", BEFORE);
            alerts.awaitSeries("kafka_consumergroup_lag", BEFORE);
            poisoned = Instant.now();
            PoisonMessages.send(stack.bootstrapServers(), REQUEST_TOPIC);
        }
        LockSupport.parkNanos(BEFORE.minus(PROBE_WARM_UP).toNanos() - (System.nanoTime() - beforeStarted));
        long stopping = System.nanoTime();
        Instant stoppedAt = Instant.now();
        probe.phase(Probe.OUTAGE);
        stack.kafka().stop();
        long stopped = System.nanoTime();
        AlertNotification ingestErrors = null;
        AlertNotification deliveryFailing = null;
        AlertNotification stalled = null;
        if (alerting) {
            ingestErrors = alerts.awaitNotification("IngestErrors", true, poisoned, ALERT_DEADLINE);
            deliveryFailing = alerts.awaitNotification("EventDeliveryFailing", true, stoppedAt, ALERT_DEADLINE);
            stalled = alerts.awaitNotification("IngestionStalled", true, stoppedAt, ALERT_DEADLINE);
        }
        LockSupport.parkNanos(OUTAGE.toNanos() - (System.nanoTime() - stopping));
        long restarting = System.nanoTime();
        stack.kafka().restart();
        long restarted = System.nanoTime();
        Instant restartedAt = Instant.now();
        probe.phase(Probe.AFTER);

        int status = simulation.get();
        // The simulator's run may have ended during a long outage: the probe goes on a little with Kafka back.
        LockSupport.parkNanos(AFTER.toNanos() - (System.nanoTime() - restarted));
        probe.stop();
        GatlingRunStats stats = GatlingRunStats.readLatest(RESULTS);
        assertThat(stats.failed())
                .as("failed requests in the simulator run (KO)")
                .isZero();
        assertThat(status)
                .as("Gatling exit status (smoke-config.yaml's assertions)")
                .isZero();
        assertThat(probe.failures()).as("probe requests without a 200").isZero();

        long served = stats.requests() + probe.answered();
        String ofRun = " FROM analytics.request_metrics WHERE user_agent IN ('" + LoadSimulation.USER_AGENT_PREFIX
                + runId + "', '" + probeAgent + "')";
        // The services' producers give up on events older than delivery.timeout.ms (30 s) and count them as failed;
        // the rest is delivered once the broker is back. A record given up on while its batch was in flight can still
        // have been appended (Kafka's delivery timeout does not withdraw a sent batch), so it is counted and stored:
        // every request is stored or counted, none is stored that was not served. Wait until the two sides settle.
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    long inClickHouse = stack.clickHouse().queryLong("SELECT uniqExact(event_id)" + ofRun);
                    long counted = Math.round(lostRequestEvents(crud) + lostRequestEvents(ecommerce) - lostBefore);
                    assertThat(inClickHouse)
                            .as("request events in ClickHouse, never more than requests served")
                            .isLessThanOrEqualTo(served);
                    assertThat(inClickHouse + counted)
                            .as("request events in ClickHouse + dropped or failed >= requests served")
                            .isGreaterThanOrEqualTo(served);
                });
        long stored = stack.clickHouse().queryLong("SELECT uniqExact(event_id)" + ofRun);
        long counted = Math.round(lostRequestEvents(crud) + lostRequestEvents(ecommerce) - lostBefore);

        double before = probe.p99Millis(Probe.BEFORE);
        double during = probe.p99Millis(Probe.OUTAGE);
        String figures = String.format(
                Locale.ROOT,
                "broker down %.1f s (stop %.1f s, restart %.1f s); served %d (simulator %d, probe %d), in ClickHouse %d,"
                        + " counted dropped or failed %d (stored all the same %d); probe p50/p99 before %.1f/%.1f ms (%d requests), during the"
                        + " outage %.1f/%.1f ms (%d), after %.1f/%.1f ms: p99 ratio %.2f",
                (restarted - stopping) / 1e9,
                (stopped - stopping) / 1e9,
                (restarted - restarting) / 1e9,
                served,
                stats.requests(),
                probe.answered(),
                stored,
                counted,
                stored + counted - served,
                probe.percentileMillis(Probe.BEFORE, 0.50),
                before,
                probe.count(Probe.BEFORE),
                probe.percentileMillis(Probe.OUTAGE, 0.50),
                during,
                probe.count(Probe.OUTAGE),
                probe.percentileMillis(Probe.AFTER, 0.50),
                probe.p99Millis(Probe.AFTER),
                during / before);
        reporter.publishEntry("broker outage", figures);
        System.out.println("broker outage: " + figures);
        if (alerting) {
            AlertNotification deliveryResolved =
                    alerts.awaitAllResolved("EventDeliveryFailing", stoppedAt, restartedAt, ALERT_DEADLINE);
            AlertNotification stalledResolved =
                    alerts.awaitAllResolved("IngestionStalled", stoppedAt, restartedAt, ALERT_DEADLINE);
            assertThat(alerts.fired())
                    .as("no service was down or slow while Kafka was")
                    .doesNotContain("ServiceDown", "ServerErrorRatioHigh", "RouteLatencyHigh", "EventsDropped");
            assertThat(deliveryFailing.labels()).containsEntry("severity", "critical");
            assertThat(stalled.summary()).contains("No row ingested");
            String alertFigures = String.format(
                    Locale.ROOT,
                    "poison message to IngestErrors notification %.0f s; Kafka stopped to EventDeliveryFailing %.0f s,"
                            + " to IngestionStalled %.0f s; Kafka back to resolved: EventDeliveryFailing %.0f s,"
                            + " IngestionStalled %.0f s",
                    seconds(poisoned, ingestErrors.received()),
                    seconds(stoppedAt, deliveryFailing.received()),
                    seconds(stoppedAt, stalled.received()),
                    seconds(restartedAt, deliveryResolved.received()),
                    seconds(restartedAt, stalledResolved.received()));
            reporter.publishEntry("alerts", alertFigures);
            System.out.println("alerts: " + alertFigures);
        }
        assertThat(stored).as("events delivered once the broker was back").isPositive();
        assertThat(during)
                .as("probe p99 during the outage vs before (%s)", figures)
                .isLessThanOrEqualTo(1.2 * before);
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /**
     * The services' own count of request events they could not deliver: {@code chanalytics_events_dropped_total} and
     * {@code chanalytics_events_failed_total} of the request topic, read from the Prometheus endpoint.
     */
    private static double lostRequestEvents(URI service) throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(service.resolve("/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double lost = 0;
        Matcher line = Pattern.compile("(?m)^chanalytics_events_(?:dropped|failed)_total\\{[^}]*topic=\""
                        + REQUEST_TOPIC + "\"[^}]*} ([0-9.eE+]+)$")
                .matcher(metrics);
        while (line.find()) {
            lost += Double.parseDouble(line.group(1));
        }
        return lost;
    }

    /**
     * Requests at a fixed rate whatever the answers do, each latency counted from when it was due (no coordinated
     * omission), filed under the phase it started in.
     */
    static final class Probe {

        static final int WARM_UP = 0;
        static final int BEFORE = 1;
        static final int OUTAGE = 2;
        static final int AFTER = 3;

        // HTTP/1.1 as browsers and Gatling talk to the services (the JDK client would otherwise try an h2c upgrade).
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final List<List<Long>> latencies = List.of(
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger answered = new AtomicInteger();
        private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
        private volatile int phase = WARM_UP;

        private volatile boolean running = true;
        private Thread thread;

        static Probe start(URI uri, String userAgent) {
            Probe probe = new Probe();
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("User-Agent", userAgent)
                    .timeout(Duration.ofSeconds(10))
                    .build();
            probe.thread = Thread.ofPlatform().name("outage-probe").start(() -> probe.run(request));
            return probe;
        }

        private void run(HttpRequest request) {
            long period = 1_000_000_000L / PROBE_PER_SECOND;
            long due = System.nanoTime();
            while (running) {
                long startedAt = due;
                List<Long> bucket = latencies.get(phase);
                // One virtual thread per request, a blocking send on each: the pattern of LoadGenerator.
                requests.submit(() -> {
                    try {
                        int status = http.send(request, HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        answered.incrementAndGet();
                        bucket.add(System.nanoTime() - startedAt);
                        if (status != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.incrementAndGet();
                    }
                });
                due += period;
                LockSupport.parkNanos(due - System.nanoTime());
            }
        }

        void phase(int next) {
            phase = next;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            requests.close(); // waits for the requests under way
        }

        int failures() {
            return failures.get();
        }

        long answered() {
            return answered.get();
        }

        int count(int of) {
            return latencies.get(of).size();
        }

        double p99Millis(int of) {
            return percentileMillis(of, 0.99);
        }

        double percentileMillis(int of, double level) {
            List<Long> sorted;
            synchronized (latencies.get(of)) {
                sorted = latencies.get(of).stream().sorted().toList();
            }
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * level)) / 1e6;
        }
    }
}
