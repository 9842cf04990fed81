package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.clickhouse.engine.QueryResult;
import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.grafana.GrafanaMacros;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.stack.clickhouse.ClickHouseHttpInterfaceIntegrationTests;
import io.chanalytics.stack.cluster.FromAddress;
import io.chanalytics.stack.cluster.NginxFront;
import io.chanalytics.stack.keycloak.PasswordGrant;
import io.chanalytics.stack.replay.IngestErrorReplay;
import io.chanalytics.stack.replay.ReplayOptions;
import io.chanalytics.stack.replay.UnknownSchemaEvent;
import io.chanalytics.stack.signin.AccessMatrix;
import io.chanalytics.stack.signin.ForgedTokens;
import io.chanalytics.stack.signin.RealmAdmin;
import io.chanalytics.stack.signin.RealmTokens;
import io.chanalytics.stack.verify.StackVerifier;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack for real: broker, registry, PostgreSQL and the ClickHouse engine with the schema, on free
 * ports. Events go through {@link EventPublisher} (Avro, Confluent wire format, the registry) into Kafka, ClickHouse
 * consumes them, and then every Grafana panel's SQL, with the plugin's macros expanded, runs through the stack's
 * ClickHouse HTTP endpoint. When the services' jars are built (a reactor build packages them first), both services
 * run as child processes too and their requests must land in ClickHouse.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class EmbeddedStackIntegrationTests {

    private static final String SERVICE_A = "stack-test-shop";
    private static final String SERVICE_B = "stack-test-catalog";
    private static final int REQUESTS_A = 150;
    private static final int REQUESTS_B = 50;
    private static final Duration INGEST_DEADLINE = Duration.ofSeconds(90);
    private static final String CLICKHOUSE_CREDENTIALS = "Basic "
            + java.util.Base64.getEncoder().encodeToString("analytics:analytics".getBytes(StandardCharsets.UTF_8));

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path data;

    private static EmbeddedStack stack;
    private static StackSettings settings;
    private static Instant now;
    private static List<Integer> uiPorts;
    /** The published business events end an hour before the test starts (see businessDataSetOnly). */
    private static final java.util.function.UnaryOperator<Instant> BUSINESS_UNTIL =
            start -> start.minus(Duration.ofHours(1));

    private static List<RequestEvent> requestsA;
    private static List<BusinessEvent> orders;

    @BeforeAll
    static void startStackAndPublish() throws Exception {
        Path crudJar = ServiceProcess.builtJar("crud-api");
        Path ecommerceJar = ServiceProcess.builtJar("ecommerce-api");
        // Sign-in on, with the real Keycloak: the access matrix and the bad tokens run against it (SignIn below).
        settings = StackSettings.onFreePorts(data, 2, crudJar, ecommerceJar).withSignIn(true);
        // Where Grafana and Kafka UI would be: nothing listens there, and the verifier must say so.
        uiPorts = StackSettings.freePorts(2);
        stack = EmbeddedStack.start(settings);
        now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publishEvents();
        PoisonMessages.send(stack.bootstrapServers(), "request-events");
        await().atMost(INGEST_DEADLINE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(count("analytics.request_metrics", "service_name = '" + SERVICE_A + "'"))
                    .isEqualTo(REQUESTS_A);
            assertThat(count("analytics.request_metrics", "service_name = '" + SERVICE_B + "'"))
                    .isEqualTo(REQUESTS_B);
            assertThat(count("analytics.business_events", "service_name = '" + SERVICE_A + "'"))
                    .isEqualTo(60);
            assertThat(count("analytics.system_metrics", "service_name = '" + SERVICE_A + "'"))
                    .isEqualTo(20);
            assertThat(count("analytics.ingest_errors", "topic = 'request-events'"))
                    .isGreaterThanOrEqualTo(1);
        });
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPanelRunsAndReturnsRowsWithAllServicesSelected() {
        var macros = macros(GrafanaMacros.ALL);
        var softly = new SoftAssertions();
        for (Dashboards.PanelQuery query :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            QueryResult result = run(macros.expand(query.sql()));
            softly.assertThat(result.status()).as(query + "\n" + result.body()).isEqualTo(200);
            if (result.status() == 200) {
                softly.assertThat(result.json().path("rows").asInt())
                        .as(query + " rows")
                        .isPositive();
            }
        }
        softly.assertAll();
    }

    @Test
    void everyPanelRunsWithOneServiceSelected() {
        var macros = macros(SERVICE_B);
        var softly = new SoftAssertions();
        for (Dashboards.PanelQuery query :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            QueryResult result = run(macros.expand(query.sql()));
            softly.assertThat(result.status()).as(query + "\n" + result.body()).isEqualTo(200);
        }
        softly.assertAll();
    }

    @Test
    void serviceVariablesListThePublishingServices() {
        int checked = 0;
        for (Path file : Dashboards.ofRepository(RepositoryLayout.root()).files()) {
            for (JsonNode variable : Dashboards.variables(Dashboards.read(file))) {
                checked++;
                QueryResult result = run(variable.path("query").asText());
                assertThat(result.status())
                        .as(file + " $" + variable.path("name"))
                        .isEqualTo(200);
                List<String> values = new ArrayList<>();
                result.json()
                        .path("data")
                        .forEach(row -> values.add(row.elements().next().asText()));
                assertThat(values).as(file + " $" + variable.path("name")).contains(SERVICE_A);
            }
        }
        assertThat(checked).as("dashboard variables checked").isPositive();
    }

    @Test
    void requestPanelsShowThePublishedFigures() {
        var macros = macros(SERVICE_A);
        assertThat(single(macros, "Overview", "Requests").asLong()).isEqualTo(REQUESTS_A);
        long serverErrors =
                requestsA.stream().filter(e -> e.getStatusCode() >= 500).count();
        assertThat(single(macros, "Overview", "Server error rate").asDouble())
                .isCloseTo((double) serverErrors / REQUESTS_A, within(1e-9));
        double exactP95 = Double.parseDouble(value("SELECT quantileExact(0.95)(response_time_ms) FROM "
                + "analytics.request_metrics WHERE service_name = '" + SERVICE_A + "'"));
        // quantilesDD with relative accuracy 0.01; the exact quantile picks a neighbouring sample, hence 3 %.
        assertThat(single(macros, "Overview", "p95 latency").asDouble()).isCloseTo(exactP95, within(exactP95 * 0.03));

        JsonNode topEndpoints = rows(macros, "Pipeline health", "Top endpoints by latency");
        assertThat(topEndpoints).hasSize(3);
        long total = 0;
        for (JsonNode row : topEndpoints) {
            total += row.path("request_count").asLong();
        }
        assertThat(total).isEqualTo(REQUESTS_A);
    }

    @Test
    void businessPanelsShowTheExactRevenue() {
        var macros = businessDataSetOnly();
        BigDecimal revenue = orders.stream().map(BusinessEvent::getAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        // Only the data set published at start-up lies in this time range, so the figures are exact.
        assertThat(new BigDecimal(
                        single(macros, "Business Analytics", "Revenue").asText()))
                .isEqualByComparingTo(revenue);
        assertThat(single(macros, "Business Analytics", "Orders").asLong()).isEqualTo(orders.size());
        JsonNode failures = rows(macros, "Business Analytics", "Failed orders by reason");
        assertThat(failures.get(0).path("reason").asText()).isEqualTo("OUT_OF_STOCK");
        assertThat(failures.get(0).path("orders").asLong()).isEqualTo(10);
    }

    @Test
    void servicePanelsShowDropsAndIngestErrors() {
        var macros = macros(SERVICE_A);
        // Two instances, each with a running total growing from 0 to 9 over its ten snapshots.
        assertThat(single(macros, "Pipeline health", "Events dropped").asLong()).isEqualTo(18);
        assertThat(single(macros, "Pipeline health", "Ingest errors").asLong()).isPositive();
    }

    @Test
    void clickHouseEndpointIsReadOnlyAndSpeaksClickHouseFormats() throws Exception {
        HttpResponse<String> drop = get("?query=" + encode("DROP TABLE analytics.request_metrics"));
        assertThat(drop.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
        assertThat(drop.body()).contains("(READONLY)");
        assertThat(count("analytics.request_metrics", "1")).isPositive();

        HttpResponse<String> syntaxError = get("?query=" + encode("SELECT 1 +"));
        assertThat(syntaxError.statusCode()).isEqualTo(400);
        assertThat(syntaxError.body()).contains("Code: 62");

        HttpResponse<String> eachRow = get("?query="
                + encode("SELECT service_name, count() AS n FROM analytics.request_metrics WHERE service_name = '"
                        + SERVICE_B + "' GROUP BY service_name FORMAT JSONEachRow"));
        JsonNode row = Dashboards.JSON.readTree(eachRow.body());
        assertThat(eachRow.body().strip().lines()).hasSize(1);
        assertThat(row.path("service_name").asText()).isEqualTo(SERVICE_B);
        assertThat(row.path("n").asLong()).isEqualTo(REQUESTS_B);
        assertThat(get("ping").body()).isEqualTo("Ok.\n");
    }

    /**
     * The official JDBC driver (clickhouse-jdbc, with its defaults: POST with a chunked body,
     * RowBinaryWithNamesAndTypes, native LZ4 blocks for compress=1, Basic credentials, X-ClickHouse-Database).
     */
    @Test
    void theOfficialJdbcDriverQueriesThePanelsAndReportsErrorsWithTheirCode() throws Exception {
        var properties = new java.util.Properties();
        properties.setProperty("user", "analytics");
        properties.setProperty("password", "analytics");
        String url = "jdbc:clickhouse://127.0.0.1:" + stack.clickHouseUri().getPort() + "/analytics";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url, properties);
                java.sql.Statement statement = connection.createStatement()) {
            assertThat(connection.getMetaData().getDatabaseProductVersion())
                    .isEqualTo(stack.clickHouse().version());

            // DateTime64, LowCardinality, Nullable and Decimal, read back as their Java types.
            try (java.sql.ResultSet typed = statement.executeQuery(
                    "SELECT timestamp, service_name, user_id, region, toDecimal64(response_time_ms, 3) AS latency"
                            + " FROM request_metrics WHERE service_name = '" + SERVICE_B + "' ORDER BY timestamp")) {
                int rows = 0;
                while (typed.next()) {
                    rows++;
                    assertThat(typed.getTimestamp("timestamp")).isNotNull();
                    assertThat(typed.getString("service_name")).isEqualTo(SERVICE_B);
                    typed.getString("user_id");
                    typed.getString("region");
                    assertThat(typed.getBigDecimal("latency").scale()).isEqualTo(3);
                }
                assertThat(rows).isEqualTo(REQUESTS_B);
            }

            // A panel on a rollup: -Merge of aggregate states, with the plugin's macros expanded.
            String requestsPanel = Dashboards.ofRepository(RepositoryLayout.root()).panelQueries().stream()
                    .filter(q -> q.dashboard().equals("Overview") && q.panel().equals("Requests"))
                    .findFirst()
                    .orElseThrow()
                    .sql();
            try (java.sql.ResultSet panel =
                    statement.executeQuery(macros(SERVICE_A).expand(requestsPanel))) {
                assertThat(panel.next()).isTrue();
                assertThat(panel.getLong(1)).isEqualTo(REQUESTS_A);
            }

            // The original stack's example queries (this data set has requests in the last hour, no revenue).
            List<String> examples = List.of(
                    "SELECT toStartOfMinute(timestamp) as minute, count() as requests FROM analytics.request_metrics"
                            + " WHERE timestamp >= now() - INTERVAL 1 HOUR GROUP BY minute ORDER BY minute",
                    "SELECT concat(method, ' ', endpoint) as endpoint, avg(response_time_ms) as avg_latency,"
                            + " quantile(0.95)(response_time_ms) as p95_latency FROM analytics.request_metrics"
                            + " WHERE timestamp >= now() - INTERVAL 1 HOUR GROUP BY endpoint ORDER BY avg_latency DESC",
                    "SELECT toStartOfHour(timestamp) as hour, sum(transaction_amount) as revenue"
                            + " FROM analytics.request_metrics WHERE timestamp >= now() - INTERVAL 24 HOUR"
                            + " AND transaction_amount IS NOT NULL GROUP BY hour ORDER BY hour");
            for (String example : examples) {
                try (java.sql.ResultSet result = statement.executeQuery(example)) {
                    assertThat(result.getMetaData().getColumnCount())
                            .as(example)
                            .isGreaterThanOrEqualTo(2);
                    assertThat(result.next()).as(example).isEqualTo(!example.contains("revenue"));
                }
            }

            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM analytics.no_such_table"))
                    .isInstanceOfSatisfying(java.sql.SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(60);
                        assertThat(e.getMessage()).contains("Code: 60. DB::Exception");
                    });
            assertThatThrownBy(() -> statement.executeQuery("DROP TABLE analytics.request_metrics"))
                    .isInstanceOfSatisfying(
                            java.sql.SQLException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(164));
        }
    }

    /** A reader's query stopped by the engine at its time limit holds up neither the engine nor the ingestion. */
    @Test
    void aQueryStoppedAtTheTimeLimitLeavesIngestionRunning() {
        long started = System.nanoTime();
        HttpResponse<String> slow =
                get("?max_execution_time=1&query=" + encode(ClickHouseHttpInterfaceIntegrationTests.SLOW_QUERY));
        assertThat(slow.statusCode()).as(slow.body()).isEqualTo(408);
        assertThat(slow.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("159");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        assertStillIngesting("timeout-probe-");
    }

    /**
     * A reader's query that would take the machine's memory (measured before the bound: one request grew the stack from
     * 0.86 GB to 4.8 GB resident, and it stayed there) stops at the read-only profile's {@code max_memory_usage} with
     * ClickHouse's MEMORY_LIMIT_EXCEEDED, as on the compose server, and ingestion goes on.
     */
    @Test
    void aReadersQueryStopsAtItsMemoryLimitAndIngestionGoesOn(TestReporter reporter) throws Exception {
        long residentBefore = residentBytes();
        for (String sql : List.of(
                "SELECT arrayMap(x -> repeat('a', 1000000), range(4000)) FORMAT Null",
                "SELECT number, count() FROM numbers(200000000) GROUP BY number FORMAT Null",
                "SELECT arraySort(groupArray(toString(number))) FROM numbers(300000000) FORMAT Null")) {
            HttpResponse<String> refused = get("?query=" + encode(sql));
            assertThat(refused.headers().firstValue("X-ClickHouse-Exception-Code"))
                    .as(sql + "\n" + refused.body())
                    .hasValue("241");
            assertThat(refused.body()).contains("MEMORY_LIMIT_EXCEEDED");
            assertThat(refused.statusCode()).isGreaterThanOrEqualTo(400);
        }
        long residentAfter = residentBytes();
        reporter.publishEntry(
                "resident memory of the stack's process",
                "%.2f GB before the three queries, %.2f GB after".formatted(residentBefore / 1e9, residentAfter / 1e9));
        System.out.printf(
                "reader memory limit: resident %.2f GB before, %.2f GB after%n",
                residentBefore / 1e9, residentAfter / 1e9);

        assertStillIngesting("memory-probe-");
    }

    private static long residentBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                .findFirst()
                .orElseThrow();
    }

    /** Five requests to crud-api become five rows. */
    private static void assertStillIngesting(String agentPrefix) {
        String agent = agentPrefix + UUID.randomUUID();
        URI crud = URI.create("http://127.0.0.1:" + settings.crudApiPort());
        for (int i = 0; i < 5; i++) {
            assertThat(send(HttpRequest.newBuilder(crud.resolve("/products")).header("User-Agent", agent))
                            .statusCode())
                    .isEqualTo(200);
        }
        await().atMost(INGEST_DEADLINE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(count("analytics.request_metrics", "user_agent = '" + agent + "'"))
                        .isEqualTo(5));
    }

    /**
     * A POST answer used to wait out Nagle's algorithm (about 40 ms more than GET); p50s of alternated requests. The
     * figures go to this test's output (target/surefire-reports) for docs/benchmarks.md.
     */
    @Test
    void postIsAsFastAsGetAndAPanelOnARollupTakesMilliseconds() {
        String rollupPanel = macros(SERVICE_A)
                .expand(Dashboards.ofRepository(RepositoryLayout.root()).panelQueries().stream()
                        .filter(q ->
                                q.dashboard().equals("Overview") && q.panel().equals("Requests"))
                        .findFirst()
                        .orElseThrow()
                        .sql());
        List<Long> gets = new ArrayList<>();
        List<Long> posts = new ArrayList<>();
        List<Long> panels = new ArrayList<>();
        for (int i = 0; i < 220; i++) {
            long get = timed(() -> get("?query=" + encode("SELECT 1")));
            long post = timed(() -> send(HttpRequest.newBuilder(stack.clickHouseUri())
                    .header("Authorization", CLICKHOUSE_CREDENTIALS)
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))));
            long panel = timed(() -> run(rollupPanel));
            if (i >= 20) { // warm-up
                gets.add(get);
                posts.add(post);
                panels.add(panel);
            }
        }
        double getP50 = median(gets) / 1e6;
        double postP50 = median(posts) / 1e6;
        double panelP50 = median(panels) / 1e6;
        System.out.printf(
                "ClickHouse HTTP p50 over 200 requests each: GET SELECT 1 %.2f ms, POST SELECT 1 %.2f ms,"
                        + " rollup panel (Overview / Requests, JSON) %.2f ms%n",
                getP50, postP50, panelP50);
        assertThat(postP50).isLessThan(getP50 + 2.0);
    }

    private static long timed(Runnable call) {
        long started = System.nanoTime();
        call.run();
        return System.nanoTime() - started;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** scripts/verify-stack.sh's checks against this stack: Grafana and Kafka UI are absent and must say so. */
    @Test
    void theStackVerifierPassesAndReportsWhatItCouldNotCheck(TestReporter reporter) {
        var target = VerifierExpectations.target(settings, uiPorts.get(0), uiPorts.get(1));
        var checks = VerifierExpectations.verifierPasses(target, reporter);
        assertThat(checks)
                .extracting(StackVerifier.Check::name, StackVerifier.Check::outcome)
                .contains(
                        tuple("keycloak realm", StackVerifier.Outcome.PASSED),
                        tuple("sign-in", StackVerifier.Outcome.PASSED));
        // Prometheus and Alertmanager, which the stack runs where they are installed (as CI does).
        if (stack.monitoring().prometheus().isPresent()) {
            assertThat(checks)
                    .extracting(StackVerifier.Check::name, StackVerifier.Check::outcome)
                    .contains(
                            tuple("prometheus targets", StackVerifier.Outcome.PASSED),
                            tuple("prometheus rules", StackVerifier.Outcome.PASSED),
                            tuple("alertmanager ready", StackVerifier.Outcome.PASSED),
                            tuple("prometheus sends to alertmanager", StackVerifier.Outcome.PASSED));
            assertThat(checks)
                    .filteredOn(check -> check.name().equals("prometheus targets"))
                    .singleElement()
                    .satisfies(check -> assertThat(check.detail())
                            .contains(
                                    "7 up: alertmanager, clickhouse, crud-api, ecommerce-api, kafka-consumer-lag, keycloak,"
                                            + " prometheus"));
        } else {
            assertThat(checks)
                    .extracting(StackVerifier.Check::name, StackVerifier.Check::outcome)
                    .contains(tuple("prometheus", StackVerifier.Outcome.NOT_CHECKED));
        }

        // A schema file the ledger lacks (a compose volume older than the file) fails the schema check.
        String file = "013_request_metrics_parallel_consumers.sql";
        int schemaFiles = SchemaMigrations.fromClasspath().scripts().size();
        String checksum = stack.clickHouse()
                .queryValue("SELECT checksum FROM analytics.schema_migrations WHERE file = '" + file + "'");
        stack.clickHouse().execute("DELETE FROM analytics.schema_migrations WHERE file = '" + file + "'");
        try {
            assertThat(new StackVerifier(target).run())
                    .filteredOn(check -> check.name().equals("clickhouse schema"))
                    .singleElement()
                    .satisfies(check -> assertThat(check.outcome()).isEqualTo(StackVerifier.Outcome.FAILED))
                    .satisfies(check -> assertThat(check.detail()).contains((schemaFiles - 1) + " of " + schemaFiles));
        } finally {
            stack.clickHouse()
                    .execute("INSERT INTO analytics.schema_migrations (file, checksum) VALUES ('" + file + "', '"
                            + checksum + "')");
        }
    }

    /**
     * The cluster's rate limits (docker-compose.cluster.yml): two crud-api instances behind the cluster's own NGINX file,
     * run by Debian's nginx. Each instance keeps its own buckets, so a caller's limit holds across both only if NGINX
     * sends all of a caller's requests to one instance. Before sign-in was taken into account, NGINX hashed the
     * {@code X-User-Id} header, which signed-in clients do not send, else the address: one user from several
     * addresses (a phone and a laptop, or a NAT pool) reached both instances and got twice its limit.
     */
    @Nested
    @Order(1)
    class ClusterRateLimits {

        /** The instances' read limit per user, small so that a test spends it in a second (the default is 1200). */
        private static final int READS_PER_MINUTE = 20;

        @Test
        void aUsersLimitHoldsAcrossBothInstancesFromAnyAddress(TestReporter reporter) throws Exception {
            NginxFront.require();
            List<Integer> ports = StackSettings.freePorts(4);
            String limits = """
                    {"chanalytics": {"rate-limit": {"groups": [{"name": "reads", "methods": ["GET"], "paths": ["/**"],
                      "per-user": {"requests": %d, "per": "1m"}, "per-ip": {"requests": 10000, "per": "1m"}}]}}}""".formatted(READS_PER_MINUTE);
            List<ServiceProcess> instances = new ArrayList<>();
            try {
                for (int instance = 0; instance < 2; instance++) {
                    Map<String, String> environment =
                            new LinkedHashMap<>(EmbeddedStack.serviceEnvironment(settings, ports.get(instance)));
                    environment.put("SPRING_APPLICATION_JSON", limits);
                    instances.add(ServiceProcess.start(
                            "crud-api-" + (instance + 1),
                            ServiceProcess.builtJar("crud-api"),
                            ports.get(instance),
                            environment,
                            data.resolve("cluster-logs")));
                }
                instances.forEach(instance -> instance.awaitReady(Duration.ofMinutes(3)));
                try (NginxFront nginx = NginxFront.start(
                        data.resolve("nginx"),
                        ports.get(2),
                        ports.subList(0, 2),
                        ports.get(3),
                        List.of(settings.ecommerceApiPort(), settings.ecommerceApiPort()))) {
                    RealmTokens realm = new RealmTokens(settings.keycloak());
                    String alice = "Bearer " + realm.of("alice");
                    // Twice the limit, from eight addresses in turn: with the address as the key they would spread
                    // over both instances (all eight on one: 1 chance in 128).
                    int accepted = 0;
                    int refused = 0;
                    for (int i = 0; i < 2 * READS_PER_MINUTE; i++) {
                        int status = FromAddress.get("127.0.0." + (2 + i % 8), nginx.crudPort(), "/users/me", alice);
                        if (status == 200) {
                            accepted++;
                        } else if (status == 429) {
                            refused++;
                        }
                    }
                    // Many users, one request each: they spread over both instances.
                    for (int shopper = 1; shopper <= 16; shopper++) {
                        String token = "Bearer " + realm.of("shopper-%02d".formatted(shopper));
                        assertThat(FromAddress.get("127.0.0.2", nginx.crudPort(), "/users/me", token))
                                .isEqualTo(200);
                    }
                    List<Long> perInstance = instances.stream()
                            .map(instance -> Math.round(meSeen(instance.port())))
                            .toList();
                    String figures = "%d of %d requests by one user from 8 addresses accepted, %d refused (limit %d a"
                                    .formatted(accepted, 2 * READS_PER_MINUTE, refused, READS_PER_MINUTE)
                            + " minute); GET /users/me per instance, 16 more users included: %s".formatted(perInstance);
                    reporter.publishEntry("cluster rate limits", figures);
                    System.out.println("cluster rate limits: " + figures);
                    // The bucket refills a token every 3 s: one more may pass while the loop runs.
                    assertThat(accepted).as(figures).isBetween(READS_PER_MINUTE, READS_PER_MINUTE + 1);
                    assertThat(accepted + refused).isEqualTo(2 * READS_PER_MINUTE);
                    assertThat(perInstance).as("both instances serve users").allMatch(count -> count > 0);
                }
            } finally {
                instances.forEach(ServiceProcess::close);
            }
        }

        /** The instance's count of GET /users/me answers, from its own metrics. */
        private static double meSeen(int port) {
            String metrics = send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")))
                    .body();
            return metrics.lines()
                    .filter(line -> line.startsWith("http_server_requests_seconds_count{")
                            && line.contains("method=\"GET\"")
                            && line.contains("uri=\"/users/me\""))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    /**
     * Sign-in against the stack's own Keycloak, with the tokens it issues for the realm file's demo users: who may call
     * what, who the analytics record, and every bad token refused the same clear way.
     */
    @Nested
    @Order(2)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class SignIn {

        private static final AccessMatrix.Caller ANONYMOUS = new AccessMatrix.Caller("anonymous", null);
        private static final AccessMatrix.Caller CUSTOMER = new AccessMatrix.Caller("customer", "alice");
        private static final AccessMatrix.Caller OTHER_CUSTOMER = new AccessMatrix.Caller("other customer", "bob");
        private static final AccessMatrix.Caller ADMIN = new AccessMatrix.Caller("admin", "admin");

        private final RealmTokens realm = new RealmTokens(settings.keycloak());
        private final URI crud = URI.create("http://127.0.0.1:" + settings.crudApiPort());
        private final URI ecommerce = URI.create("http://127.0.0.1:" + settings.ecommerceApiPort());

        @Test
        void theAccessMatrixHolds(TestReporter reporter) {
            var matrix = new AccessMatrix(List.of(ANONYMOUS, CUSTOMER, OTHER_CUSTOMER, ADMIN), realm);
            String admin = "Bearer " + matrix.token(ADMIN);
            String alice = "Bearer " + matrix.token(CUSTOMER);
            assertThat(send(post(crud, "/demo/generate-products?count=3&seed=11", null, admin))
                            .statusCode())
                    .isEqualTo(201);
            assertThat(send(post(crud, "/demo/generate-users?count=2&seed=11", null, admin))
                            .statusCode())
                    .isEqualTo(201);
            long product = firstId(send(HttpRequest.newBuilder(crud.resolve("/products?size=1"))));
            long user = firstId(
                    send(HttpRequest.newBuilder(crud.resolve("/users?size=1")).header("Authorization", admin)));
            String line = "{\"productId\": " + product + ", \"quantity\": 1}";
            assertThat(send(post(ecommerce, "/cart", line, alice)).statusCode()).isEqualTo(201);
            HttpResponse<String> checkout = send(post(ecommerce, "/checkout", null, alice));
            assertThat(checkout.statusCode()).as(checkout.body()).isEqualTo(201);
            long aliceOrder = json(checkout.body()).path("id").asLong();
            String newProduct =
                    "{\"name\": \"Signed lamp\", \"category\": \"home\", \"price\": 10.00," + " \"stock\": 5}";
            String newUser = "{\"name\": \"Matrix User\", \"email\": \"matrix@example.com\", \"region\": \"eu-west\"}";

            // Columns: anonymous, customer, other customer, admin (admin last: its writes succeed after the refusals).
            List<AccessMatrix.Route> routes = List.of(
                    route("GET", crud, "/products", null, 200, 200, 200, 200),
                    route("GET", crud, "/products/" + product, null, 200, 200, 200, 200),
                    route("POST", crud, "/products", newProduct, 401, 403, 403, 201),
                    route("PUT", crud, "/products/" + product, newProduct, 401, 403, 403, 200),
                    route("GET", crud, "/users", null, 401, 403, 403, 200),
                    route("GET", crud, "/users/" + user, null, 401, 403, 403, 200),
                    route("POST", crud, "/users", newUser, 401, 403, 403, 201),
                    route("GET", crud, "/users/me", null, 401, 200, 200, 200),
                    route("POST", crud, "/demo/generate-users?count=1&seed=12", null, 401, 403, 403, 201),
                    route("POST", crud, "/demo/generate-products?count=1&seed=12", null, 401, 403, 403, 201),
                    route("GET", ecommerce, "/cart", null, 401, 200, 200, 200),
                    route("POST", ecommerce, "/cart", line, 401, 201, 201, 201),
                    route("GET", ecommerce, "/orders", null, 401, 200, 200, 200),
                    // Another user's order is not theirs to know of: 404, as an id that does not exist.
                    route("GET", ecommerce, "/orders/" + aliceOrder, null, 401, 200, 404, 404),
                    route("GET", crud, "/actuator/health", null, 200, 200, 200, 200),
                    route("GET", ecommerce, "/actuator/health/readiness", null, 200, 200, 200, 200),
                    route("GET", crud, "/v3/api-docs", null, 200, 200, 200, 200),
                    route("GET", ecommerce, "/actuator/metrics", null, 401, 403, 403, 200));
            List<AccessMatrix.Cell> cells = matrix.run(routes);
            reporter.publishEntry("access matrix", "\n" + matrix.table(cells));
            System.out.println("access matrix (route x caller -> status):\n" + matrix.table(cells));
            assertThat(cells)
                    .as("route x caller -> status:%n%s", matrix.table(cells))
                    .allMatch(cell -> cell.expected() == cell.observed());
        }

        @Test
        void theRecordedUserIsTheTokensSubjectNeverAHeader() {
            String token = realm.of(CUSTOMER.user());
            String subject = RealmTokens.subject(token);
            String agent = "sign-in-identity/" + UUID.randomUUID();
            // A client that names another user and forges its address: neither decides what is recorded.
            assertThat(send(HttpRequest.newBuilder(crud.resolve("/products"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("User-Agent", agent)
                                    .header("X-User-Id", "spoofed-user")
                                    .header("X-Forwarded-For", "6.6.6.6")
                                    .header("X-Region", "eu-west"))
                            .statusCode())
                    .isEqualTo(200);
            long product = firstId(send(HttpRequest.newBuilder(crud.resolve("/products?size=1"))));
            assertThat(send(post(
                                            ecommerce,
                                            "/cart",
                                            "{\"productId\": " + product + ", \"quantity\": 1}",
                                            "Bearer " + token)
                                    .header("User-Agent", agent)
                                    .header("X-User-Id", "spoofed-user"))
                            .statusCode())
                    .isEqualTo(201);
            // Anonymous browsing keeps its session, without a user.
            assertThat(send(HttpRequest.newBuilder(crud.resolve("/products"))
                                    .header("User-Agent", agent)
                                    .header("X-User-Id", "spoofed-user")
                                    .header("X-Session-Id", "anonymous-browser"))
                            .statusCode())
                    .isEqualTo(200);

            String ofAgent = "user_agent = {agent:String}";
            Map<String, String> values = Map.of("agent", agent, "subject", subject, "product", Long.toString(product));
            await().atMost(INGEST_DEADLINE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(count("analytics.request_metrics", ofAgent, values)).isEqualTo(3);
                assertThat(count(
                                "analytics.request_metrics",
                                ofAgent + " AND user_id = {subject:String} AND client_ip = '127.0.0.1'",
                                values))
                        .isEqualTo(2);
                assertThat(count(
                                "analytics.request_metrics",
                                ofAgent + " AND coalesce(user_id, '') = '' AND session_id = 'anonymous-browser'",
                                values))
                        .isEqualTo(1);
                assertThat(count(
                                "analytics.business_events",
                                "event_type = 'CART_ITEM_ADDED' AND user_id = {subject:String}"
                                        + " AND product_id = {product:String}",
                                values))
                        .isPositive();
                assertThat(count("analytics.request_metrics", "user_id = 'spoofed-user'"))
                        .isZero();
                assertThat(count("analytics.business_events", "user_id = 'spoofed-user'"))
                        .isZero();
            });
        }

        @Test
        void everyBadTokenIsAClear401AndRecordsNoUser() throws InterruptedException {
            // Made by the realm's administrators for this test: a client whose tokens expire after a second, and a
            // user deleted once it has its token (the APIs see both tokens for the first time after that).
            var admin = new RealmAdmin(settings.keycloak());
            String probeClient = "expiry-probe-" + UUID.randomUUID();
            String shortLived = admin.createShortLivedClient(probeClient, Duration.ofSeconds(1));
            String expiring;
            try {
                expiring = realm.grant(
                        settings.keycloak().realm(),
                        probeClient,
                        CUSTOMER.user(),
                        settings.keycloak().demoPassword());
            } finally {
                admin.deleteClient(shortLived);
            }
            String leaver = "leaver-" + UUID.randomUUID().toString().substring(0, 8);
            String leaverId = admin.createUser(leaver, "leaver-password");
            String leaversToken =
                    realm.grant(settings.keycloak().realm(), PasswordGrant.CLI_CLIENT, leaver, "leaver-password");
            assertThat(send(HttpRequest.newBuilder(crud.resolve("/users/me"))
                                    .header("Authorization", "Bearer " + leaversToken))
                            .statusCode())
                    .as("the new user's token, before the user is deleted")
                    .isEqualTo(200);
            admin.deleteUser(leaverId);

            String token = realm.of(CUSTOMER.user());
            String bob = RealmTokens.subject(realm.of(OTHER_CUSTOMER.user()));
            String agent = "sign-in-bad-token/" + UUID.randomUUID();
            Map<String, String> badAuthorizations = new LinkedHashMap<>();
            badAuthorizations.put("none", null);
            badAuthorizations.put(
                    "another user's subject under alice's signature", "Bearer " + ForgedTokens.withSubject(token, bob));
            badAuthorizations.put("signed with another key", "Bearer " + ForgedTokens.signedWithAnotherKey(token));
            badAuthorizations.put("alg none", "Bearer " + ForgedTokens.unsigned(token));
            badAuthorizations.put("a key id the realm never had", "Bearer " + ForgedTokens.withUnknownKeyId(token));
            badAuthorizations.put(
                    "another issuer (the master realm)",
                    "Bearer "
                            + realm.grant(
                                    "master",
                                    "admin-cli",
                                    settings.keycloak().adminUser(),
                                    settings.keycloak().adminPassword()));
            badAuthorizations.put(
                    "another audience (the realm's admin-cli client)",
                    "Bearer "
                            + realm.grant(
                                    settings.keycloak().realm(),
                                    "admin-cli",
                                    CUSTOMER.user(),
                                    settings.keycloak().demoPassword()));
            badAuthorizations.put("not a JWT", "Bearer not-a-token");
            badAuthorizations.put(
                    "not Bearer",
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString("alice:demo".getBytes(StandardCharsets.UTF_8)));
            badAuthorizations.put("two tokens", "Bearer " + token + " " + token);
            badAuthorizations.put("the token of a deleted user", "Bearer " + leaversToken);
            // Expired beyond the services' clock skew (5 s) by the time it is sent.
            long expiredFor = Instant.now().getEpochSecond()
                    - RealmTokens.claims(expiring).path("exp").asLong();
            Thread.sleep(Math.max(0, (6 - expiredFor) * 1000));
            badAuthorizations.put("expired", "Bearer " + expiring);

            var softly = new SoftAssertions();
            badAuthorizations.forEach((name, authorization) -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(ecommerce.resolve("/cart"))
                        .header("User-Agent", agent)
                        .header("X-User-Id", "spoofed-user");
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }
                HttpResponse<String> response = send(request);
                softly.assertThat(response.statusCode()).as(name).isEqualTo(401);
                softly.assertThat(response.headers().firstValue("Content-Type"))
                        .as("%s: content type", name)
                        .hasValue("application/problem+json");
                softly.assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .as("%s: challenge", name)
                        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
                softly.assertThat(json(response.body())
                                .path("errors")
                                .path(0)
                                .path("field")
                                .asText())
                        .as("%s: field at fault", name)
                        .isEqualTo("Authorization");
            });
            // A 50 KB header is refused before its token is read: 431, the same problem format.
            HttpResponse<String> huge = send(HttpRequest.newBuilder(ecommerce.resolve("/cart"))
                    .header("User-Agent", agent)
                    .header("Authorization", "Bearer " + "a".repeat(50 * 1024)));
            softly.assertThat(huge.statusCode()).as("50 KB header").isEqualTo(431);
            softly.assertAll();

            await().atMost(INGEST_DEADLINE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(count("analytics.request_metrics", "user_agent = {agent:String}", Map.of("agent", agent)))
                        .isEqualTo(badAuthorizations.size() + 1);
                assertThat(count(
                                "analytics.request_metrics",
                                "user_agent = {agent:String} AND coalesce(user_id, '') != ''",
                                Map.of("agent", agent)))
                        .isZero();
            });
        }

        /**
         * Last (it stops Keycloak for the rest of the run): tokens signed with a key the services already hold keep
         * working and public routes answer, while a token naming a key they do not hold is a quick 503, not a 401:
         * it may be valid, only Keycloak could say.
         */
        @Test
        @Order(Integer.MAX_VALUE)
        void withKeycloakDownValidTokensStillWorkAndUnknownKeysAreA503() {
            String token = realm.of(CUSTOMER.user());
            String unknownKey = ForgedTokens.withUnknownKeyId(token);
            assertThat(send(HttpRequest.newBuilder(ecommerce.resolve("/cart"))
                                    .header("Authorization", "Bearer " + token))
                            .statusCode())
                    .as("before: the service has fetched the realm's keys")
                    .isEqualTo(200);

            stack.keycloak().close();

            assertThat(send(HttpRequest.newBuilder(ecommerce.resolve("/cart"))
                                    .header("Authorization", "Bearer " + token))
                            .statusCode())
                    .as("a valid token, its key held")
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(crud.resolve("/products"))).statusCode())
                    .as("a public route")
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(ecommerce.resolve("/cart"))).statusCode())
                    .as("no token")
                    .isEqualTo(401);
            // Within the services' key refetch interval (5 s) of their last fetch, a key id that fetch did not list is
            // refused from the keys held (401) without asking Keycloak; after it they ask, and Keycloak cannot answer.
            List<Integer> answers = new ArrayList<>();
            AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            List<Duration> took = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long started = System.nanoTime();
                        HttpResponse<String> answer = send(HttpRequest.newBuilder(ecommerce.resolve("/cart"))
                                .header("Authorization", "Bearer " + unknownKey));
                        took.add(Duration.ofNanos(System.nanoTime() - started));
                        answers.add(answer.statusCode());
                        last.set(answer);
                        return answer.statusCode() == 503;
                    });
            assertThat(answers.subList(0, answers.size() - 1))
                    .as("before the interval has passed")
                    .allMatch(status -> status == 401);
            HttpResponse<String> unknown = last.get();
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(503);
            assertThat(unknown.headers().firstValue("Retry-After")).isPresent();
            assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(took).as("answered without waiting for Keycloak").allMatch(time -> time.toSeconds() < 5);
        }

        private static AccessMatrix.Route route(String method, URI base, String path, String json, int... expected) {
            return new AccessMatrix.Route(method, base.resolve(path), json, expected);
        }

        private static HttpRequest.Builder post(URI base, String path, String json, String authorization) {
            return HttpRequest.newBuilder(base.resolve(path))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(
                            json == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(json));
        }

        private static long firstId(HttpResponse<String> page) {
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            return json(page.body()).path("content").path(0).path("id").asLong();
        }
    }

    /**
     * scripts/replay-ingest-errors.sh's command against the stack: a rejected event whose schema is then fixed parses
     * on replay and lands once, however often the replay runs; the garbage sent at the start fails again and stays.
     */
    @Nested
    @Order(3)
    class ReplayOfRejectedMessages {

        private static final String SERVICE = "stack-test-replayed";

        @Test
        void aFixedMessageLandsOnceAndOneThatStillFailsStaysAndIsReported() throws Exception {
            var rejected = UnknownSchemaEvent.of(stack.schemaRegistryUri(), SERVICE);
            PoisonMessages.send(stack.bootstrapServers(), "request-events", rejected.message());
            String ours = "topic = 'request-events' AND position(raw_message, {service:String}) > 0";
            await().atMost(INGEST_DEADLINE)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> count("analytics.ingest_errors", ours, Map.of("service", SERVICE)) == 1);
            assertThat(rejected.fix()).as("the id the fix registers").isEqualTo(rejected.schemaId());

            var replay = new IngestErrorReplay(
                    new ClickHouseHttpSession(
                            stack.clickHouseUri(),
                            settings.clickhouseHttp().user(),
                            settings.clickhouseHttp().password(),
                            Duration.ofSeconds(30)),
                    stack.bootstrapServers());
            var options = ReplayOptions.parse(List.of("--topic", "request-events", "--from", "1h"), Instant.now());
            long errorsBefore = count("analytics.ingest_errors", "topic = 'request-events'");
            IngestErrorReplay.Report first = replay.run(options);

            assertThat(first.parsed())
                    .as(IngestErrorReplay.describe(options, first))
                    .isEqualTo(1);
            assertThat(first.failedAgain()).as("the garbage sent at the start").isPositive();
            assertThat(first.replayed()).isEqualTo(first.parsed() + first.failedAgain());
            assertThat(first.clean()).isFalse();
            Map<String, String> service = Map.of("service", SERVICE);
            // The ledger's view may run before the stream's other views have written the same block.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(count("analytics.request_metrics", "service_name = {service:String}", service))
                        .isEqualTo(1);
                assertThat(count("analytics.request_metrics_1m", "service_name = {service:String}", service))
                        .isEqualTo(1);
                // The originals stay where they were, each copy that failed again beside them.
                assertThat(count("analytics.ingest_errors", "topic = 'request-events'"))
                        .isEqualTo(errorsBefore + first.failedAgain());
            });

            IngestErrorReplay.Report second = replay.run(options);
            assertThat(second.replayed())
                    .as(IngestErrorReplay.describe(options, second))
                    .isZero();
            assertThat(second.parsedBefore()).isEqualTo(1);
            assertThat(second.failedBefore()).isEqualTo(first.failedAgain());
            assertThat(IngestErrorReplay.describe(options, second))
                    .contains("nothing to replay", "1 parsed, " + first.failedAgain() + " failed again");
            assertThat(count("analytics.ingest_errors", ours, service)).isEqualTo(1);
            assertThat(count("analytics.request_metrics", "service_name = {service:String}", service))
                    .isEqualTo(1);
        }
    }

    private static void publishEvents() throws InterruptedException {
        Random random = new Random(42);
        requestsA = new ArrayList<>();
        List<RequestEvent> requests = new ArrayList<>();
        String[][] endpoints = {{"GET", "/products"}, {"GET", "/products/{id}"}, {"POST", "/orders"}};
        for (int i = 0; i < REQUESTS_A + REQUESTS_B; i++) {
            String[] endpoint = endpoints[i % endpoints.length];
            int status = i % 20 == 0 ? 503 : i % 13 == 0 ? 429 : i % 9 == 0 ? 404 : 200;
            RequestEvent event = RequestEvent.newBuilder()
                    .setEventId(UUID.randomUUID())
                    .setTimestamp(now.minusSeconds(random.nextInt(1800)))
                    .setServiceName(i < REQUESTS_A ? SERVICE_A : SERVICE_B)
                    .setInstanceId("instance-" + (i % 2))
                    .setEndpoint(endpoint[1])
                    .setMethod(endpoint[0])
                    .setStatusCode(status)
                    .setResponseTimeMs(Math.round(Math.exp(3 + 0.5 * random.nextGaussian()) * 1000) / 1000.0)
                    .setRequestSizeBytes(endpoint[0].equals("POST") ? 300 : 0)
                    .setResponseSizeBytes(500 + random.nextInt(5000))
                    .setUserId("user-" + random.nextInt(30))
                    .setSessionId("session-" + random.nextInt(60))
                    .setRegion(List.of("eu-west", "us-east", "ap-south").get(random.nextInt(3)))
                    .build();
            requests.add(event);
            if (i < REQUESTS_A) {
                requestsA.add(event);
            }
        }
        List<BusinessEvent> business = new ArrayList<>();
        orders = new ArrayList<>();
        BusinessEventType[] types = {
            BusinessEventType.PRODUCT_VIEWED,
            BusinessEventType.CART_ITEM_ADDED,
            BusinessEventType.CHECKOUT_STARTED,
            BusinessEventType.ORDER_PLACED,
            BusinessEventType.PRODUCT_VIEWED,
            BusinessEventType.ORDER_FAILED
        };
        for (int i = 0; i < 60; i++) {
            BusinessEventType type = types[i % types.length];
            boolean product = type == BusinessEventType.PRODUCT_VIEWED || type == BusinessEventType.CART_ITEM_ADDED;
            BusinessEvent event = BusinessEvent.newBuilder()
                    .setEventId(UUID.randomUUID())
                    .setTimestamp(BUSINESS_UNTIL.apply(now).minusSeconds(random.nextInt(1800)))
                    .setEventType(type)
                    .setServiceName(SERVICE_A)
                    .setUserId("user-" + random.nextInt(30))
                    .setRegion("eu-west")
                    .setProductId(product ? "product-" + random.nextInt(8) : null)
                    .setProductCategory(product ? List.of("books", "toys").get(random.nextInt(2)) : null)
                    .setAmount(
                            type == BusinessEventType.ORDER_PLACED
                                    ? BigDecimal.valueOf(100 + random.nextInt(100_000), 2)
                                    : null)
                    .setCurrency(type == BusinessEventType.ORDER_PLACED ? "USD" : null)
                    .setFailureReason(type == BusinessEventType.ORDER_FAILED ? "OUT_OF_STOCK" : null)
                    .build();
            business.add(event);
            if (type == BusinessEventType.ORDER_PLACED) {
                orders.add(event);
            }
        }
        List<SystemMetricsEvent> system = new ArrayList<>();
        for (int instance = 0; instance < 2; instance++) {
            for (int i = 0; i < 10; i++) {
                system.add(SystemMetricsEvent.newBuilder()
                        .setTimestamp(now.minusSeconds(10L * (10 - i)))
                        .setServiceName(SERVICE_A)
                        .setInstanceId("instance-" + instance)
                        .setProcessCpuUsage(0.1 + 0.01 * i)
                        .setSystemCpuUsage(0.4)
                        .setHeapUsedBytes(100_000_000L + i)
                        .setHeapCommittedBytes(200_000_000L)
                        .setHeapMaxBytes(400_000_000L)
                        .setNonHeapUsedBytes(50_000_000L)
                        .setLiveThreads(40)
                        .setActiveHttpConnections(3 + i)
                        .setInFlightRequests(1)
                        .setPublisherQueueDepth(i)
                        .setPublisherDroppedTotal(i)
                        .build());
            }
        }
        try (var publisher = EventPublisher.connect(
                stack.bootstrapServers(),
                EventPublisherSettings.DEFAULTS,
                new SchemaRegistryClient(stack.schemaRegistryUri()),
                new SimpleMeterRegistry())) {
            requests.forEach(event -> assertThat(publisher.publish(event)).isTrue());
            business.forEach(event -> assertThat(publisher.publish(event)).isTrue());
            system.forEach(event -> assertThat(publisher.publish(event)).isTrue());
            assertThat(publisher.awaitIdle(Duration.ofSeconds(30))).isTrue();
            assertThat(publisher.stats().failed()).isZero();
        }
    }

    private static GrafanaMacros macros(String service) {
        return new GrafanaMacros(
                now.minus(Duration.ofHours(2)),
                now.plus(Duration.ofMinutes(5)),
                Duration.ofSeconds(60),
                Map.of("service", List.of(service)));
    }

    /**
     * A time range holding the published business events and nothing else: they lie an hour in the past, so what the
     * running services record meanwhile (orders included) cannot change the figures, whatever order the tests run in.
     */
    private static GrafanaMacros businessDataSetOnly() {
        Instant until = BUSINESS_UNTIL.apply(now);
        return new GrafanaMacros(
                until.minus(Duration.ofMinutes(35)),
                until.plus(Duration.ofMinutes(5)),
                Duration.ofSeconds(60),
                Map.of("service", List.of(GrafanaMacros.ALL)));
    }

    private static JsonNode rows(GrafanaMacros macros, String dashboard, String panel) {
        Dashboards.PanelQuery query = Dashboards.ofRepository(RepositoryLayout.root()).panelQueries().stream()
                .filter(q -> q.dashboard().equals(dashboard) && q.panel().equals(panel))
                .findFirst()
                .orElseThrow(() -> new AssertionError("No panel " + dashboard + " / " + panel));
        QueryResult result = run(macros.expand(query.sql()));
        assertThat(result.status()).as(query + "\n" + result.body()).isEqualTo(200);
        return result.json().path("data");
    }

    /** The first column of the single row a stat panel returns. */
    private static JsonNode single(GrafanaMacros macros, String dashboard, String panel) {
        JsonNode data = rows(macros, dashboard, panel);
        assertThat(data).as(dashboard + " / " + panel).hasSize(1);
        return data.get(0).elements().next();
    }

    private static long count(String table, String condition) {
        return count(table, condition, Map.of());
    }

    /** {@code condition} names its values as ClickHouse query parameters ({@code {name:Type}}), bound from the map. */
    private static long count(String table, String condition, Map<String, String> parameters) {
        return Long.parseLong(value("SELECT count() FROM " + table + " WHERE " + condition, parameters));
    }

    private static String value(String sql) {
        return value(sql, Map.of());
    }

    private static String value(String sql, Map<String, String> parameters) {
        StringBuilder query = new StringBuilder("?query=").append(encode(sql));
        parameters.forEach((name, bound) ->
                query.append("&param_").append(name).append('=').append(encode(bound)));
        HttpResponse<String> response = get(query.toString());
        assertThat(response.statusCode()).as(sql + "\n" + response.body()).isEqualTo(200);
        return response.body().strip();
    }

    /** A query as Grafana's plugin would send it, through the stack's ClickHouse HTTP endpoint, as JSON. */
    private static QueryResult run(String sql) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(stack.clickHouseUri().resolve("?default_format=JSON"))
                        .header("Authorization", CLICKHOUSE_CREDENTIALS)
                        .POST(HttpRequest.BodyPublishers.ofString(sql)));
        return new QueryResult(response.statusCode(), response.body());
    }

    private static HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(stack.clickHouseUri().resolve(pathAndQuery))
                .header("Authorization", CLICKHOUSE_CREDENTIALS)
                .GET());
    }

    private static JsonNode json(String text) {
        try {
            return Dashboards.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + text, e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The service's executable jar, as the build names it ({@code <name>.jar}, set by the pom, which also makes the
     * reactor package the services first). Missing is a failure, never a skip: the test would otherwise pass without
     * the services it is about.
     */
    private record QueryResult(int status, String body) {

        JsonNode json() {
            try {
                return Dashboards.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }
    }
}
