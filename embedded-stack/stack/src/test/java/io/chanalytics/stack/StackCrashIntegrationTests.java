package io.chanalytics.stack;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.clickhouse.ingest.RollupAudit;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's process killed with SIGKILL under load, as the kernel's OOM killer or a native crash would: its services
 * stop by themselves, {@code scripts/start.sh} alone starts it again (stopping what the dead stack left running), no
 * message is lost or doubled, and {@code scripts/stop.sh} clears up after a second crash. Run by Failsafe on the
 * packaged stack jar, as the other scripts' test.
 */
class StackCrashIntegrationTests {

    /** The event topics and the tables ClickHouse fills from them. */
    private static final Map<String, String> TABLES = Map.of(
            "request-events", "request_metrics",
            "business-events", "business_events",
            "system-metrics", "system_metrics");

    private static final Duration SERVICES_GONE_WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path data;

    private static StackScripts scripts;

    @AfterAll
    static void stopWhateverRuns() throws Exception {
        if (scripts != null) {
            scripts.run("scripts/stop.sh");
        }
    }

    @Test
    void aStackKilledUnderLoadLeavesNothingThatStartOrStopCannotHandle(TestReporter reporter) throws Exception {
        scripts = StackScripts.onFreePorts(data.resolve("stack"));
        // The pipeline's recovery is under test, not sign-in (the stack test and the scripts test run Keycloak).
        scripts.set("SIGN_IN", "false");
        StackSettings settings = scripts.settings();
        StackScripts.Result started = scripts.run("scripts/start.sh", "--embedded", "--skip-build");
        assertThat(started.exitCode()).as(started.output()).isZero();

        List<ProcessHandle> services = List.copyOf(scripts.recordedServices().values());
        assertThat(services).as("the services the stack recorded").hasSize(2);
        long servedBeforeKill;
        long served;
        long killedAt;
        try (var load = new Load(settings)) {
            load.awaitServed(500);
            servedBeforeKill = load.served();
            killStack();
            killedAt = System.nanoTime();
            served = load.served();
        }
        // Prometheus and Alertmanager (where installed) end with the stack too, as the services do.
        awaitNotListening(
                List.of(
                        settings.crudApiPort(),
                        settings.ecommerceApiPort(),
                        settings.monitoring().prometheusPort(),
                        settings.monitoring().alertmanagerPort()),
                SERVICES_GONE_WITHIN);
        long portsClosed = System.nanoTime();
        for (ProcessHandle service : services) {
            assertThat(service.onExit()
                            .completeOnTimeout(service, SERVICES_GONE_WITHIN.toSeconds(), SECONDS)
                            .join()
                            .isAlive())
                    .as("service %d ended by itself within %s of its stack", service.pid(), SERVICES_GONE_WITHIN)
                    .isFalse();
        }
        report(
                reporter,
                "after SIGKILL",
                "requests served " + servedBeforeKill + " before the kill, " + served + " until the stack was gone"
                        + " (the services kept answering without their broker); the services' ports closed "
                        + Duration.ofNanos(portsClosed - killedAt).toMillis() + " ms and their processes ended "
                        + Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms after the kill"
                        + " (the load ran on for 2 s after it); PostgreSQL still listening: "
                        + StackScripts.listening(settings.postgresPort()));

        StackScripts.Result restarted = scripts.run("scripts/start.sh", "--embedded", "--skip-build");
        report(reporter, "start.sh after the crash", restarted.output());
        assertThat(restarted.exitCode()).as(restarted.output()).isZero();
        assertThat(restarted.output()).contains("Embedded stack is up");
        // The services and the monitoring had stopped by themselves; PostgreSQL, a daemon, waits for the next start
        // (or stop.sh).
        assertThat(restarted.output())
                .contains("stopped what it left running: [PostgreSQL (pid ")
                .doesNotContain("crud-api (pid")
                .doesNotContain("prometheus (pid");

        Map<String, long[]> counts = awaitEveryMessageStoredOnce(settings);
        report(
                reporter,
                "topics = rows after the restart",
                counts.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()[0] + " = " + e.getValue()[1] + " (" + e.getValue()[2]
                                + " before merging copies)")
                        .collect(Collectors.joining("; ")));
        // Rollups count a block read twice twice; the stack's reconciliation makes them exact within its interval.
        var http = settings.clickhouseHttp();
        var audit = new RollupAudit(new ClickHouseHttpSession(
                URI.create("http://127.0.0.1:" + http.port()), http.user(), http.password(), Duration.ofSeconds(30)));
        long readTwice = clickHouseCount(
                        settings, "SELECT sum(messages) FROM analytics.ingest_blocks WHERE stream = 'request_metrics'")
                - counts.get("request-events")[0];
        long auditStarted = System.nanoTime();
        await("rollups equal the raw rows without copies")
                .atMost(RollupReconciler.INTERVAL.plus(Duration.ofSeconds(60)))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> audit.mismatches().isEmpty());
        report(
                reporter,
                "rollups after the restart",
                readTwice + " request messages read twice (ingest_blocks); every rollup equal to the raw rows "
                        + Duration.ofNanos(System.nanoTime() - auditStarted).toMillis()
                        + " ms after all messages were stored");

        // Requests served once the broker was gone, and the few events in flight when it died, are lost with it
        // (counted
        // as failed by the publisher); what was served before the kill had reached Kafka.
        assertThat(counts.get("request-events")[0])
                .as("requests reached Kafka")
                .isGreaterThanOrEqualTo(servedBeforeKill * 8 / 10);

        // A second crash, this time cleared by stop.sh at once, before the services notice that their stack is gone.
        killStack();
        StackScripts.Result stopped = scripts.run("scripts/stop.sh");
        report(reporter, "stop.sh after the second crash", stopped.output());
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("stop: the stack had ended without stopping every part", "PostgreSQL");
        for (int port : List.of(
                settings.crudApiPort(),
                settings.ecommerceApiPort(),
                settings.postgresPort(),
                settings.kafkaPort(),
                settings.clickhouseHttp().port())) {
            assertThat(StackScripts.listening(port)).as("port " + port).isFalse();
        }
        assertThat(scripts.run("scripts/stop.sh").output()).contains("nothing is running");
        assertThat(scripts.run("scripts/reset-data.sh", "--yes").exitCode())
                .as("nothing left that forbids a reset")
                .isZero();
    }

    /** A figure for the test report and for the console (Failsafe keeps the output, not the report's entries). */
    private static void report(TestReporter reporter, String key, String value) {
        reporter.publishEntry(key, value);
        System.out.println(key + ": " + value);
    }

    private static void killStack() throws IOException {
        long pid = Long.parseLong(
                Files.readString(data.resolve("stack").resolve("stack.pid")).strip());
        ProcessHandle stack = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no stack process " + pid));
        assertThat(stack.info().command())
                .as("the stack's JVM")
                .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        stack.destroyForcibly();
        assertThat(stack.onExit().orTimeout(30, SECONDS).join().isAlive()).isFalse();
    }

    private static void awaitNotListening(List<Integer> ports, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ports.stream().anyMatch(StackScripts::listening)) {
            assertThat(System.nanoTime())
                    .as("ports " + ports + " still open after " + timeout)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Waits until every table holds exactly its topic's messages once merged (FINAL folds a message read twice), with
     * the topic's count unchanged around the count of rows (the services keep reporting their system metrics). Per
     * topic: messages, rows once merged, rows before merging.
     */
    private static Map<String, long[]> awaitEveryMessageStoredOnce(StackSettings settings) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, long[]> counts = new LinkedHashMap<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()))) {
            while (true) {
                counts.clear();
                boolean equal = true;
                for (var topic : TABLES.entrySet()) {
                    long before = messages(admin, topic.getKey());
                    long merged =
                            clickHouseCount(settings, "SELECT count() FROM analytics." + topic.getValue() + " FINAL");
                    long raw = clickHouseCount(settings, "SELECT count() FROM analytics." + topic.getValue());
                    long after = messages(admin, topic.getKey());
                    counts.put(topic.getKey(), new long[] {after, merged, raw});
                    equal &= before == after && merged == after;
                }
                if (equal) {
                    assertThat(clickHouseCount(settings, "SELECT count() FROM analytics.ingest_errors"))
                            .as("messages ClickHouse could not parse")
                            .isZero();
                    return counts;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("topics and tables differ after 120 s: "
                            + counts.entrySet().stream()
                                    .map(e -> e.getKey() + " " + e.getValue()[0] + " vs " + e.getValue()[1])
                                    .toList());
                }
                Thread.sleep(1_000);
            }
        }
    }

    private static long messages(Admin admin, String topic) throws Exception {
        List<TopicPartition> partitions =
                admin.describeTopics(List.of(topic)).allTopicNames().get(30, SECONDS).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
        long messages = 0;
        var earliest = admin.listOffsets(
                        partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest())))
                .all()
                .get(30, SECONDS);
        var latest = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                .all()
                .get(30, SECONDS);
        for (TopicPartition partition : partitions) {
            messages += latest.get(partition).offset() - earliest.get(partition).offset();
        }
        return messages;
    }

    private static long clickHouseCount(StackSettings settings, String sql) throws Exception {
        var http = settings.clickhouseHttp();
        String credentials = Base64.getEncoder()
                .encodeToString((http.user() + ":" + http.password()).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/?query="
                                + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                        .header("Authorization", "Basic " + credentials)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(sql + ": " + response.body()).isEqualTo(200);
        return Long.parseLong(response.body().strip());
    }

    /** Requests to both services from a few virtual threads, counting those answered. */
    private static final class Load implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong served = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        Load(StackSettings settings) {
            List<URI> targets = List.of(
                    URI.create("http://127.0.0.1:" + settings.crudApiPort() + "/products?size=5"),
                    URI.create("http://127.0.0.1:" + settings.ecommerceApiPort() + "/cart"));
            for (int i = 0; i < 8; i++) {
                URI target = targets.get(i % targets.size());
                String session = "crash-test-" + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            HTTP.send(
                                    HttpRequest.newBuilder(target)
                                            .header("X-Session-Id", session)
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                            served.incrementAndGet();
                        } catch (IOException e) {
                            // the stack is being killed: refused connections are expected
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }));
            }
        }

        void awaitServed(long requests) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (served.get() < requests) {
                assertThat(System.nanoTime())
                        .as("%d requests served in 60 s", requests)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        long served() {
            return served.get();
        }

        @Override
        public void close() throws InterruptedException {
            // Keeps loading for a moment after the kill, as clients of a crashed stack do.
            Thread.sleep(2_000);
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(10));
            }
        }
    }
}
