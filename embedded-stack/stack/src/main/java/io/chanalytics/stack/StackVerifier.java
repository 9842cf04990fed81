package io.chanalytics.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SqlScript;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.grafana.GrafanaMacros;
import io.chanalytics.metrics.publish.EventTopics;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks a running stack, embedded or compose, the way a user would, and says per check whether it passed: every
 * component answers, a short scripted session through both APIs is found again in ClickHouse (exactly, and in the
 * rollups) and agrees with what PostgreSQL holds, and every dashboard panel runs. A component that is not running
 * (Grafana and Kafka UI without Docker) is reported as not checked, never as passed. {@code scripts/verify-stack.sh}
 * runs it; the exit status is non-zero when any check failed.
 */
public final class StackVerifier {

    public enum Outcome {
        PASSED,
        FAILED,
        NOT_CHECKED
    }

    public record Check(String name, Outcome outcome, String detail) {}

    /** Where the stack's parts answer; the defaults are the ports both modes publish on localhost. */
    public record Target(
            URI crudApi,
            URI ecommerceApi,
            String bootstrapServers,
            URI schemaRegistry,
            URI clickHouse,
            String clickHouseUser,
            String clickHousePassword,
            URI grafana,
            String grafanaUser,
            String grafanaPassword,
            URI kafkaUi) {

        public static Target fromEnvironment(UnaryOperator<String> environment) {
            UnaryOperator<String> env = name -> {
                String value = environment.apply(name);
                return value == null || value.isBlank() ? null : value.strip();
            };
            String host = orDefault(env.apply("STACK_HOST"), "localhost");
            return new Target(
                    url(host, orDefault(env.apply("CRUD_API_PORT"), "8001")),
                    url(host, orDefault(env.apply("ECOMMERCE_API_PORT"), "8002")),
                    host + ":" + orDefault(env.apply("KAFKA_PORT"), "9092"),
                    url(host, orDefault(env.apply("SCHEMA_REGISTRY_PORT"), "8081")),
                    url(host, orDefault(env.apply("CLICKHOUSE_HTTP_PORT"), "8123")),
                    orDefault(env.apply("CLICKHOUSE_ADMIN_USER"), "analytics"),
                    orDefault(env.apply("CLICKHOUSE_ADMIN_PASSWORD"), "analytics"),
                    url(host, orDefault(env.apply("GRAFANA_PORT"), "3000")),
                    orDefault(env.apply("GRAFANA_ADMIN_USER"), "admin"),
                    orDefault(env.apply("GRAFANA_ADMIN_PASSWORD"), "admin"),
                    url(host, orDefault(env.apply("KAFKA_UI_PORT"), "8080")));
        }

        private static URI url(String host, String port) {
            return URI.create("http://" + host + ":" + port);
        }

        private static String orDefault(String value, String fallback) {
            return value == null ? fallback : value;
        }
    }

    private static final Duration INGEST_DEADLINE = Duration.ofSeconds(90);
    private static final String REGION = "eu-west";

    private final Target target;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<Check> checks = new ArrayList<>();
    private final String runId = "stack-verifier/" + UUID.randomUUID();
    private final String sessionId = "verify-" + UUID.randomUUID().toString().substring(0, 8);

    public StackVerifier(Target target) {
        this.target = target;
    }

    public static void main(String[] args) {
        List<Check> checks = new StackVerifier(Target.fromEnvironment(System::getenv)).run();
        System.out.println(table(checks));
        System.exit(checks.stream().anyMatch(check -> check.outcome() == Outcome.FAILED) ? 1 : 0);
    }

    public List<Check> run() {
        checks.clear();
        boolean crud = ready("crud-api", target.crudApi());
        boolean ecommerce = ready("ecommerce-api", target.ecommerceApi());
        kafkaTopics();
        boolean clickHouse = clickHouse();
        boolean grafana = grafana();
        boolean kafkaUi = kafkaUi();
        if (crud && ecommerce && clickHouse) {
            Session result = session();
            if (result != null) {
                reconcile(result);
                reconcileRefusal();
                if (kafkaUi) {
                    kafkaUiDecodes();
                }
            }
        } else {
            add("scripted session", Outcome.NOT_CHECKED, "needs both APIs and ClickHouse");
        }
        // Subjects are registered with the first event of each type: after the session, all three must exist.
        registrySubjects();
        if (clickHouse) {
            dashboards(grafana);
        }
        return List.copyOf(checks);
    }

    /** The checks as the table the script prints. */
    public static String table(List<Check> checks) {
        int width =
                checks.stream().mapToInt(check -> check.name().length()).max().orElse(10);
        StringBuilder out = new StringBuilder(
                String.format(Locale.ROOT, "%-" + width + "s  %-11s  %s%n", "check", "result", "detail"));
        for (Check check : checks) {
            out.append(String.format(
                    Locale.ROOT, "%-" + width + "s  %-11s  %s%n", check.name(), check.outcome(), check.detail()));
        }
        long failed = checks.stream()
                .filter(check -> check.outcome() == Outcome.FAILED)
                .count();
        long skipped = checks.stream()
                .filter(check -> check.outcome() == Outcome.NOT_CHECKED)
                .count();
        out.append(String.format(
                Locale.ROOT,
                "%d passed, %d failed, %d not checked%n",
                checks.size() - failed - skipped,
                failed,
                skipped));
        return out.toString();
    }

    // --- components ---------------------------------------------------------------------------------------------

    private boolean ready(String name, URI base) {
        Answer answer = get(base.resolve("/actuator/health/readiness"), Map.of());
        return add(name + " ready", answer.status() == 200, answer.describe());
    }

    private void kafkaTopics() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            var topics = admin.describeTopics(EventTopics.DEFAULTS.all())
                    .allTopicNames()
                    .get(15, TimeUnit.SECONDS);
            StringBuilder detail = new StringBuilder();
            topics.forEach((name, description) -> detail.append(name)
                    .append(" (")
                    .append(description.partitions().size())
                    .append(" partitions) "));
            add(
                    "kafka topics",
                    topics.keySet().containsAll(EventTopics.DEFAULTS.all()),
                    detail.toString().strip());
        } catch (Exception e) {
            add("kafka topics", false, target.bootstrapServers() + ": " + rootMessage(e));
        }
    }

    private void registrySubjects() {
        Answer answer = get(target.schemaRegistry().resolve("/subjects"), Map.of());
        List<String> expected =
                EventTopics.DEFAULTS.all().stream().map(EventTopics::subjectOf).toList();
        boolean all = answer.status() == 200 && expected.stream().allMatch(answer.body()::contains);
        add("schema registry subjects", all, answer.status() == 200 ? answer.body() : answer.describe());
    }

    private boolean clickHouse() {
        Answer ping = get(target.clickHouse().resolve("/ping"), Map.of());
        if (!add("clickhouse ping", ping.status() == 200 && ping.body().startsWith("Ok."), ping.describe())) {
            return false;
        }
        // Every schema file of this checkout in the ledger both runners keep: a compose volume made before a file was
        // added shows here until the server's next start applies it.
        List<String> files = SchemaMigrations.fromClasspath().scripts().stream()
                .map(SqlScript::name)
                .toList();
        Answer schema = query("SELECT count(DISTINCT file) FROM " + SchemaMigrations.LEDGER + " WHERE file IN ('"
                + String.join("', '", files) + "')");
        add(
                "clickhouse schema",
                schema.ok() && schema.body().strip().equals(Integer.toString(files.size())),
                "schema files applied: " + schema.text() + " of " + files.size() + " (" + files.getLast() + " last)");
        Answer consumers = query("SELECT count(), countIf(arrayExists(t -> t > now() - 60, exceptions.time))"
                + " FROM system.kafka_consumers WHERE database = 'analytics'");
        String[] counts = consumers.ok() ? consumers.body().strip().split("\t") : new String[] {"0", "?"};
        add(
                "clickhouse kafka consumers",
                consumers.ok() && Integer.parseInt(counts[0]) >= 3 && counts[1].equals("0"),
                consumers.ok()
                        ? counts[0] + " consumers, " + counts[1] + " with an exception in the last minute"
                        : consumers.text());
        return true;
    }

    private boolean grafana() {
        Answer health = get(target.grafana().resolve("/api/health"), Map.of());
        if (health.status() == 0) {
            add("grafana", Outcome.NOT_CHECKED, "not running at " + target.grafana() + " (compose only)");
            return false;
        }
        add("grafana health", health.status() == 200, health.describe());
        Answer datasource = get(
                target.grafana().resolve("/api/datasources/uid/clickhouse/health"),
                Map.of("Authorization", basic(target.grafanaUser(), target.grafanaPassword())));
        return add("grafana clickhouse datasource", datasource.status() == 200, datasource.describe());
    }

    private boolean kafkaUi() {
        Answer health = get(target.kafkaUi().resolve("/actuator/health"), Map.of());
        if (health.status() == 0) {
            add("kafka-ui", Outcome.NOT_CHECKED, "not running at " + target.kafkaUi() + " (compose only)");
            return false;
        }
        return add("kafka-ui health", health.status() == 200, health.describe());
    }

    // --- the scripted session -----------------------------------------------------------------------------------

    private record Session(Instant started, int requests, long orderId, BigDecimal orderTotal) {}

    private Session session() {
        Instant started = Instant.now();
        int sent = 0;
        try {
            Answer products = call("GET", target.crudApi(), "/products?size=5", null);
            sent++;
            if (json(products.body()).path("content").isEmpty()) {
                call("POST", target.crudApi(), "/demo/generate-products?count=5&seed=7", null);
                sent++;
                products = call("GET", target.crudApi(), "/products?size=5", null);
                sent++;
            }
            JsonNode product = null;
            for (JsonNode candidate : json(products.body()).path("content")) {
                if (candidate.path("stock").asInt() > 0) {
                    product = candidate;
                    break;
                }
            }
            if (product == null) {
                add("scripted session", false, "no product in stock to buy");
                return null;
            }
            long productId = product.path("id").asLong();
            expect(call("GET", target.crudApi(), "/products/" + productId, null), 200);
            sent++;
            expect(
                    call("POST", target.ecommerceApi(), "/cart", "{\"productId\":" + productId + ",\"quantity\":1}"),
                    201);
            sent++;
            Answer order = call("POST", target.ecommerceApi(), "/checkout", null);
            sent++;
            expect(order, 201);
            // A refused order too (a product that does not exist), so the failed-orders panels have this session's
            // data.
            expect(
                    call(
                            "POST",
                            target.ecommerceApi(),
                            "/orders",
                            "{\"items\":[{\"productId\":" + Long.MAX_VALUE + ",\"quantity\":1}]}"),
                    422);
            sent++;
            JsonNode placed = json(order.body());
            add(
                    "scripted session",
                    true,
                    sent + " requests, order " + placed.path("id").asLong() + " placed");
            return new Session(
                    started,
                    sent,
                    placed.path("id").asLong(),
                    new BigDecimal(placed.path("total").asText()));
        } catch (Exception e) {
            add("scripted session", false, "after " + sent + " requests: " + rootMessage(e));
            return null;
        }
    }

    private void reconcile(Session result) {
        String ofRun = "user_agent = '" + runId + "'";
        boolean exact = await(() -> query("SELECT uniqExact(event_id) FROM analytics.request_metrics WHERE " + ofRun)
                .text()
                .equals(Integer.toString(result.requests())));
        add(
                "request_metrics = requests sent",
                exact,
                "sent " + result.requests() + ", found "
                        + query("SELECT uniqExact(event_id) FROM analytics.request_metrics WHERE " + ofRun)
                                .text()
                        + " (user agent " + runId + ")");

        // The rollup is fed from the same blocks as the raw table: over the session's minutes they count alike.
        String since = "toStartOfMinute(toDateTime(" + result.started().getEpochSecond() + "))";
        String agree = "SELECT (SELECT countMerge(requests) FROM analytics.request_metrics_1m WHERE minute >= " + since
                + ") = (SELECT count() FROM analytics.request_metrics WHERE timestamp >= " + since + ")";
        add(
                "request rollup = raw rows",
                await(() -> query(agree).text().equals("1")),
                "since the session's first minute");

        Answer stored = call("GET", target.ecommerceApi(), "/orders/" + result.orderId(), null);
        BigDecimal total = stored.status() == 200
                ? new BigDecimal(json(stored.body()).path("total").asText())
                : BigDecimal.ZERO;
        String placed = "SELECT count(), sum(amount) FROM analytics.business_events WHERE session_id = '" + sessionId
                + "' AND event_type = 'ORDER_PLACED'";
        boolean same = await(() -> {
            String[] row = query(placed).text().split("\t");
            return row.length == 2 && row[0].equals("1") && new BigDecimal(row[1]).compareTo(total) == 0;
        });
        add(
                "ORDER_PLACED = PostgreSQL order",
                stored.status() == 200 && same && total.compareTo(result.orderTotal()) == 0,
                "order " + result.orderId() + " total " + total + " (PostgreSQL via the API), ClickHouse "
                        + query(placed).text().replace('\t', ' '));
    }

    private void reconcileRefusal() {
        String failed = "SELECT count() FROM analytics.business_events WHERE session_id = '" + sessionId
                + "' AND event_type = 'ORDER_FAILED' AND failure_reason = 'PRODUCT_NOT_FOUND'";
        add(
                "ORDER_FAILED for the refused order",
                await(() -> query(failed).text().equals("1")),
                "found " + query(failed).text());
    }

    private void kafkaUiDecodes() {
        Answer messages = get(
                target.kafkaUi()
                        .resolve("/api/clusters/chanalytics/topics/" + EventTopics.DEFAULTS.request()
                                + "/messages/v2?mode=LATEST&limit=200"),
                Map.of());
        add(
                "kafka-ui shows request events decoded",
                messages.status() == 200
                        && messages.body().contains(runId)
                        && messages.body().contains("service_name"),
                messages.status() == 200 ? "the session's events found decoded" : messages.describe());
    }

    // --- dashboards ---------------------------------------------------------------------------------------------

    private void dashboards(boolean throughGrafana) {
        Instant now = Instant.now();
        var macros = new GrafanaMacros(
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofMinutes(1)),
                Duration.ofSeconds(60),
                Map.of("service", List.of(GrafanaMacros.ALL)));
        int ran = 0;
        List<String> problems = new ArrayList<>();
        for (Dashboards.PanelQuery panel :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            ran++;
            String problem = throughGrafana ? viaGrafana(panel, macros, now) : viaClickHouse(panel, macros);
            if (problem != null) {
                problems.add(panel + ": " + problem);
            }
        }
        add(
                "dashboard panels" + (throughGrafana ? " (through Grafana)" : " (SQL on ClickHouse)"),
                problems.isEmpty(),
                ran + " panels ran"
                        + (problems.isEmpty()
                                ? ", each with rows where the session wrote data"
                                : "; " + String.join("; ", problems)));
    }

    /** Panels over ingest errors may rightly be empty; every other panel reads what the session wrote. */
    private static boolean needsRows(Dashboards.PanelQuery panel) {
        return !panel.sql().contains("ingest_errors");
    }

    private String viaClickHouse(Dashboards.PanelQuery panel, GrafanaMacros macros) {
        Answer answer = query(macros.expand(panel.sql()) + " FORMAT JSON");
        if (!answer.ok()) {
            return answer.text();
        }
        long rows = json(answer.body()).path("rows").asLong();
        return rows == 0 && needsRows(panel) ? "no rows" : null;
    }

    private String viaGrafana(Dashboards.PanelQuery panel, GrafanaMacros macros, Instant now) {
        var query = Dashboards.JSON.createObjectNode();
        query.put("from", Long.toString(now.minus(Duration.ofHours(1)).toEpochMilli()));
        query.put("to", Long.toString(now.toEpochMilli()));
        var target = query.putArray("queries").addObject();
        target.put("refId", "A");
        target.putObject("datasource")
                .put("type", "grafana-clickhouse-datasource")
                .put("uid", "clickhouse");
        // What Grafana's frontend does before the query reaches the backend: $__conditionalAll and the variables.
        target.put("rawSql", macros.frontend(panel.sql()));
        target.put("editorType", "sql");
        target.put("format", 1);
        Answer answer = send(HttpRequest.newBuilder(this.target.grafana().resolve("/api/ds/query"))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(this.target.grafanaUser(), this.target.grafanaPassword()))
                .POST(HttpRequest.BodyPublishers.ofString(query.toString())));
        if (answer.status() != 200) {
            return answer.describe();
        }
        JsonNode result = json(answer.body()).path("results").path("A");
        if (result.hasNonNull("error")) {
            return result.path("error").asText();
        }
        boolean empty = result.path("frames").isEmpty()
                || result.path("frames")
                        .get(0)
                        .path("data")
                        .path("values")
                        .path(0)
                        .isEmpty();
        return empty && needsRows(panel) ? "no rows" : null;
    }

    // --- plumbing -----------------------------------------------------------------------------------------------

    private record Answer(int status, String body) {
        boolean ok() {
            return status == 200;
        }

        String text() {
            return body.strip();
        }

        String describe() {
            return status == 0 ? body : "HTTP " + status + (body.isBlank() ? "" : ": " + abbreviate(body.strip()));
        }
    }

    private Answer query(String sql) {
        return send(HttpRequest.newBuilder(target.clickHouse().resolve("/?database=analytics"))
                .header("Authorization", basic(target.clickHouseUser(), target.clickHousePassword()))
                .POST(HttpRequest.BodyPublishers.ofString(sql)));
    }

    private Answer call(String method, URI base, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("User-Agent", runId)
                .header("X-Session-Id", sessionId)
                .header("X-Region", REGION);
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request);
    }

    private Answer get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach(request::header);
        return send(request);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (java.io.IOException e) {
            return new Answer(0, "not answering (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    private static void expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected HTTP " + status + ", got " + answer.describe());
        }
    }

    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + INGEST_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                // Not there yet (a value still missing): keep polling until the deadline.
            }
        }
        return false;
    }

    private boolean add(String name, boolean passed, String detail) {
        add(name, passed ? Outcome.PASSED : Outcome.FAILED, detail);
        return passed;
    }

    private void add(String name, Outcome outcome, String detail) {
        checks.add(new Check(name, outcome, detail));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static JsonNode json(String text) {
        try {
            return Dashboards.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not JSON: " + abbreviate(text), e);
        }
    }
}
