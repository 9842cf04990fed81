package io.chanalytics.stack.monitoring;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.stack.EmbeddedStack;
import io.chanalytics.stack.ServiceProcess;
import io.chanalytics.stack.StackSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerts as they really reach someone: the embedded stack with the real Prometheus and Alertmanager (Debian's
 * packages, which .ci/run installs), the repository's rules and routing, the stack's own ClickHouse and consumer-lag
 * endpoints as targets, and traffic on both services. A poison message fires IngestErrors; Kafka stopped for longer
 * than the alerts' {@code for:} fires EventDeliveryFailing and IngestionStalled, which reach the webhook through
 * Alertmanager and resolve once Kafka is back. Skipped with a reason where the programs are missing, never in CI.
 */
class MonitoringIntegrationTests {

    private static final Duration FIRING_DEADLINE = Duration.ofMinutes(5);
    private static final int REQUESTS_PER_SECOND = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @TempDir
    static Path data;

    static EmbeddedStack stack;
    static StackSettings settings;
    static URI prometheus;
    static final AtomicBoolean trafficRunning = new AtomicBoolean(true);
    static final AtomicLong served = new AtomicLong();
    static Thread traffic;

    @BeforeAll
    static void startStackWithMonitoring() {
        PrometheusTools.require("prometheus");
        PrometheusTools.require("alertmanager");
        settings = StackSettings.onFreePorts(
                data, 1, ServiceProcess.builtJar("crud-api"), ServiceProcess.builtJar("ecommerce-api"));
        stack = EmbeddedStack.start(settings);
        prometheus = stack.monitoring().prometheus().orElseThrow();
        traffic = Thread.ofVirtual().name("traffic").start(MonitoringIntegrationTests::sendTraffic);
    }

    @AfterAll
    static void stopStack() throws InterruptedException {
        trafficRunning.set(false);
        if (traffic != null) {
            traffic.join();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void alertsFireOnFaultsReachTheWebhookAndResolve(TestReporter reporter) throws Exception {
        AlertWebhook webhook = stack.monitoring().webhook();

        // Every target up (both services, ClickHouse's /metrics, the consumer lag, Alertmanager, Prometheus) and
        // every rule of the repository's file loaded.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode targets = api("targets").path("activeTargets");
                    List<String> jobs = new ArrayList<>();
                    targets.forEach(target -> {
                        jobs.add(target.path("labels").path("job").asText());
                        assertThat(target.path("health").asText())
                                .as(
                                        "%s: %s",
                                        target.path("scrapeUrl").asText(),
                                        target.path("lastError").asText())
                                .isEqualTo("up");
                    });
                    assertThat(jobs)
                            .containsExactlyInAnyOrder(
                                    "crud-api",
                                    "ecommerce-api",
                                    "clickhouse",
                                    "kafka-consumer-lag",
                                    "alertmanager",
                                    "prometheus");
                });
        int alertingRules = 0;
        for (JsonNode group : api("rules").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alertingRules += rule.path("type").asText().equals("alerting") ? 1 : 0;
            }
        }
        assertThat(alertingRules).as("alerting rules loaded").isEqualTo(13);
        // The series the ingestion alerts read, scraped from the stack's own endpoints under the compose names.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    assertThat(query("ClickHouseProfileEvents_KafkaMessagesFailed"))
                            .as("scraped at 0 first")
                            .isNotEmpty();
                    assertThat(query("sum(increase(ClickHouseProfileEvents_KafkaRowsRead[1m]))"))
                            .as("rows being read")
                            .isNotEmpty()
                            .allMatch(value -> value > 0);
                    assertThat(query("kafka_consumergroup_lag"))
                            .as("ClickHouse's groups' lag")
                            .isNotEmpty();
                });

        // A poison message: routed to ingest_errors by ClickHouse, counted, alerted (awaited below, with the others).
        Instant poisoned = Instant.now();
        sendPoisonMessage();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.clickHouse().queryLong("SELECT count() FROM analytics.ingest_errors") > 0);

        // Kafka down while the services serve requests.
        Instant stopped = Instant.now();
        stack.kafka().stop();
        AlertNotification ingestErrors = awaitNotification(webhook, "IngestErrors", true, poisoned);
        AlertNotification deliveryFailing = awaitNotification(webhook, "EventDeliveryFailing", true, stopped);
        AlertNotification stalled = awaitNotification(webhook, "IngestionStalled", true, stopped);
        Instant restarted = Instant.now();
        stack.kafka().restart();
        AlertNotification deliveryResolved = awaitAllResolved(webhook, "EventDeliveryFailing", stopped, restarted);
        AlertNotification stalledResolved = awaitAllResolved(webhook, "IngestionStalled", stopped, restarted);

        assertThat(webhook.received())
                .as("no service was down, and nothing but these alerts fired")
                .filteredOn(AlertNotification::firing)
                .extracting(AlertNotification::alertName)
                .doesNotContain("ServiceDown", "ServerErrorRatioHigh", "RouteLatencyHigh", "EventsDropped");
        assertThat(deliveryFailing.labels()).containsEntry("severity", "critical");
        assertThat(stalled.summary()).contains("No row ingested");
        String figures = String.format(
                Locale.ROOT,
                "poison to IngestErrors notification %.0f s; Kafka stopped to EventDeliveryFailing %.0f s, to"
                        + " IngestionStalled %.0f s; Kafka back (outage %.0f s) to resolved: EventDeliveryFailing %.0f s,"
                        + " IngestionStalled %.0f s; %d requests served",
                seconds(poisoned, ingestErrors.received()),
                seconds(stopped, deliveryFailing.received()),
                seconds(stopped, stalled.received()),
                seconds(stopped, restarted),
                seconds(restarted, deliveryResolved.received()),
                seconds(restarted, stalledResolved.received()),
                served.get());
        reporter.publishEntry("alerts", figures);
        System.out.println("alerts: " + figures);
    }

    private static AlertNotification awaitNotification(
            AlertWebhook webhook, String alertName, boolean firing, Instant after) {
        return await().atMost(FIRING_DEADLINE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> webhook.received().stream()
                                .filter(alert -> alert.alertName().equals(alertName))
                                .filter(alert -> alert.firing() == firing)
                                .filter(alert -> alert.received().isAfter(after))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    /**
     * The last resolution of an alert that fired for several label sets (EventDeliveryFailing per service and topic):
     * each one that fired after {@code firedAfter} must be resolved after {@code resolvedAfter}.
     */
    private static AlertNotification awaitAllResolved(
            AlertWebhook webhook, String alertName, Instant firedAfter, Instant resolvedAfter) {
        return await().atMost(FIRING_DEADLINE)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            List<AlertNotification> received = webhook.received().stream()
                                    .filter(alert -> alert.alertName().equals(alertName))
                                    .toList();
                            var fired = received.stream()
                                    .filter(alert ->
                                            alert.firing() && alert.received().isAfter(firedAfter))
                                    .map(AlertNotification::labels)
                                    .distinct()
                                    .toList();
                            List<AlertNotification> resolved = received.stream()
                                    .filter(alert ->
                                            !alert.firing() && alert.received().isAfter(resolvedAfter))
                                    .toList();
                            boolean all = fired.stream()
                                    .allMatch(labels -> resolved.stream()
                                            .anyMatch(alert -> alert.labels().equals(labels)));
                            return all
                                    ? java.util.Optional.of(resolved.getLast())
                                    : java.util.Optional.<AlertNotification>empty();
                        },
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    /** Requests on both services at a steady rate, whatever happens to Kafka. */
    private static void sendTraffic() {
        List<URI> routes = List.of(
                URI.create("http://127.0.0.1:" + settings.crudApiPort() + "/products?page=0&size=5"),
                URI.create("http://127.0.0.1:" + settings.ecommerceApiPort() + "/cart"));
        long period = 1_000_000_000L / REQUESTS_PER_SECOND;
        long due = System.nanoTime();
        int next = 0;
        while (trafficRunning.get()) {
            URI route = routes.get(next++ % routes.size());
            try {
                HTTP.send(
                        HttpRequest.newBuilder(route)
                                .header("X-User-Id", "monitoring-test")
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                served.incrementAndGet();
            } catch (IOException e) {
                // counted by the services' own metrics, which the alerts read
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            due += period;
            LockSupport.parkNanos(due - System.nanoTime());
        }
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        var response = HTTP.send(
                HttpRequest.newBuilder(prometheus.resolve("api/v1/" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("data");
    }

    /** The values of an instant query's result. */
    private static List<Double> query(String promql) throws IOException, InterruptedException {
        List<Double> values = new ArrayList<>();
        api("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
                .path("result")
                .forEach(series -> values.add(series.path("value").path(1).asDouble()));
        return values;
    }

    /** Bytes that are not the Confluent wire format: ClickHouse routes them to ingest_errors. */
    private static void sendPoisonMessage() throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>("request-events", "garbage".getBytes(StandardCharsets.UTF_8)))
                    .get(30, SECONDS);
        }
    }
}
