package io.chanalytics.stack.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the live alert tests wait for on an embedded stack that runs Prometheus and Alertmanager: series scraped, and
 * the notifications Alertmanager sent to the stack's receiver ({@link AlertWebhook}).
 */
public final class AlertChecks {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Monitoring monitoring;

    public AlertChecks(Monitoring monitoring) {
        this.monitoring = monitoring;
    }

    /**
     * Whether the stack runs Prometheus and Alertmanager: where they are not installed the alert checks are left out,
     * except in CI, which must run them (.ci/run installs them).
     */
    public boolean available() {
        boolean running = monitoring.prometheus().isPresent();
        if (!running && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("Prometheus and Alertmanager are not installed, and CI must run the alert checks");
        }
        return running;
    }

    /** Waits until the instant query {@code promql} has a result (a series scraped at least once). */
    public void awaitSeries(String promql, Duration timeout) {
        await().atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(query(promql)).as(promql).isNotEmpty());
    }

    /** The result of an instant query. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        URI uri = monitoring
                .prometheus()
                .orElseThrow()
                .resolve("api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        var response = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("data").path("result");
    }

    /** The first notification of {@code alertName}, firing or resolved, received after {@code after}. */
    public AlertNotification awaitNotification(String alertName, boolean firing, Instant after, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> received(alertName).stream()
                                .filter(alert -> alert.firing() == firing)
                                .filter(alert -> alert.received().isAfter(after))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    /**
     * The last resolution of an alert that fired for several label sets (EventDeliveryFailing per service and topic):
     * each set that fired after {@code firedAfter} resolved after {@code resolvedAfter}.
     */
    public AlertNotification awaitAllResolved(
            String alertName, Instant firedAfter, Instant resolvedAfter, Duration timeout) {
        return await().atMost(timeout)
                .pollInterval(Duration.ofSeconds(1))
                .until(
                        () -> {
                            List<AlertNotification> received = received(alertName);
                            List<AlertNotification> resolved = received.stream()
                                    .filter(alert ->
                                            !alert.firing() && alert.received().isAfter(resolvedAfter))
                                    .toList();
                            boolean all = received.stream()
                                    .filter(alert ->
                                            alert.firing() && alert.received().isAfter(firedAfter))
                                    .allMatch(fired -> resolved.stream()
                                            .anyMatch(alert -> alert.labels().equals(fired.labels())));
                            return all && !resolved.isEmpty()
                                    ? Optional.of(resolved.getLast())
                                    : Optional.<AlertNotification>empty();
                        },
                        Optional::isPresent)
                .orElseThrow();
    }

    /** Every alert name that reached the receiver firing. */
    public List<String> fired() {
        return monitoring.webhook().received().stream()
                .filter(AlertNotification::firing)
                .map(AlertNotification::alertName)
                .distinct()
                .toList();
    }

    private List<AlertNotification> received(String alertName) {
        return monitoring.webhook().received().stream()
                .filter(alert -> alert.alertName().equals(alertName))
                .toList();
    }
}
