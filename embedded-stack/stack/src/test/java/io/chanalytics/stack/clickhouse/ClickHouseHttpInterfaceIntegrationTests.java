package io.chanalytics.stack.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.stack.monitoring.PrometheusTools;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP interface over the real engine: the protocol as ClickHouse's clients use it, and read-only enforced by
 * the engine. Every bypass tried here returned data before (a first-keyword check let {@code file()} and
 * {@code url()} through, and a query-level {@code readonly = 1} was lifted by a subquery's {@code SETTINGS}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class ClickHouseHttpInterfaceIntegrationTests {

    /** Seconds of work over fewer rows than the reader profile's max_rows_to_read (which stops a larger count at once). */
    public static final String SLOW_QUERY =
            "SELECT sum(cityHash64(repeat(toString(number), 20))) FROM numbers(900000000)";

    private static final QueryLimits LIMITS =
            QueryLimits.DEFAULTS.withExecutionAndResults(Duration.ofSeconds(2), 1_000, 1 << 20, 2);
    private static final String CREDENTIALS =
            "Basic " + Base64.getEncoder().encodeToString("analytics:secret".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path data;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ChDb engine;
    private ClickHouseHttpEndpoint endpoint;
    private HttpServer outside;
    private final AtomicInteger outsideHits = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        engine = ChDb.open(data.resolve("engine"));
        engine.execute("CREATE DATABASE analytics");
        engine.execute(
                "CREATE TABLE analytics.t (id UInt32, name LowCardinality(String)) ENGINE = MergeTree ORDER BY id");
        engine.execute("INSERT INTO analytics.t SELECT number, toString(number % 3) FROM numbers(100)");
        endpoint = ClickHouseHttpEndpoint.start(
                new ClickHouseHttpSettings("127.0.0.1", 0, "analytics", "secret", LIMITS), engine);
        // A server the engine must never reach on a reader's behalf.
        outside = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        outside.createContext("/", exchange -> {
            outsideHits.incrementAndGet();
            byte[] body = "{\"x\":1}\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        outside.start();
    }

    @AfterAll
    void stop() {
        outside.stop(0);
        endpoint.close();
        engine.close();
    }

    @Test
    void getAndPostRunQueriesWithClickHouseHeaders() throws Exception {
        var get = get("?query=" + encode("SELECT count() FROM analytics.t WHERE name != ''"));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("100\n");
        assertThat(get.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
        assertThat(get.headers().firstValue("Content-Type")).hasValue("text/tab-separated-values; charset=UTF-8");
        assertThat(get.headers().firstValue("X-ClickHouse-Timezone")).isPresent();
        assertThat(get.headers().firstValue("X-ClickHouse-Server-Display-Name")).isPresent();
        assertThat(get.headers().firstValue("X-ClickHouse-Query-Id")).isPresent();
        assertThat(get.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
                .contains("\"result_rows\":\"1\"")
                .contains("\"read_rows\":\"100\"");

        // The query parameter and the body are one query, as ClickHouse joins them.
        var post = post("?query=" + encode("SELECT count()") + "&query_id=mine", "FROM analytics.t WHERE id < 10");
        assertThat(post.body()).isEqualTo("10\n");
        assertThat(post.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("mine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TabSeparated", "JSON", "CSV", "Pretty"})
    void formatsComeFromDefaultFormatTheFormatHeaderOrTheQuery(String format) throws Exception {
        String sql = "SELECT id, name FROM analytics.t WHERE id = 4";
        var byParameter = get("?default_format=" + format + "&query=" + encode(sql));
        var byHeader = send(request("?query=" + encode(sql)).header("X-ClickHouse-Format", format));
        var byClause = get("?default_format=CSV&query=" + encode(sql + " FORMAT " + format));
        for (var response : List.of(byParameter, byHeader, byClause)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("X-ClickHouse-Format")).hasValue(format);
            assertThat(response.body()).contains("4").contains("1");
        }
        if (format.equals("JSON")) {
            assertThat(byParameter.body()).contains("\"name\": \"1\"");
        } else {
            assertThat(byHeader.body()).isEqualTo(byClause.body()).isEqualTo(byParameter.body());
        }
    }

    @Test
    void theDatabaseComesFromTheParameterOrTheHeader() throws Exception {
        assertThat(get("?database=analytics&query=" + encode("SELECT count() FROM t"))
                        .body())
                .isEqualTo("100\n");
        assertThat(send(request("?query=" + encode("SELECT currentDatabase()"))
                                .header("X-ClickHouse-Database", "analytics"))
                        .body())
                .isEqualTo("analytics\n");
        var unknown = get("?database=nope&query=" + encode("SELECT 1"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
    }

    @Test
    void parametersAreBoundByTheEngine() throws Exception {
        var response = get("?param_low=" + encode("95") + "&param_name=" + encode("x'; DROP") + "&query="
                + encode("SELECT count(), {name:String} FROM analytics.t WHERE id >= {low:UInt32}"));
        assertThat(response.body()).isEqualTo("5\tx\\'; DROP\n");
    }

    @Test
    void credentialsAreRequiredInEachOfClickHousesWays() throws Exception {
        String sql = "?query=" + encode("SELECT 1");
        assertThat(send(HttpRequest.newBuilder(endpoint.baseUri().resolve(sql))).statusCode())
                .isEqualTo(403);
        assertThat(send(HttpRequest.newBuilder(endpoint.baseUri().resolve(sql + "&user=analytics&password=secret")))
                        .body())
                .isEqualTo("1\n");
        assertThat(send(HttpRequest.newBuilder(endpoint.baseUri().resolve(sql))
                                .header("X-ClickHouse-User", "analytics")
                                .header("X-ClickHouse-Key", "secret"))
                        .body())
                .isEqualTo("1\n");
        var wrong = send(HttpRequest.newBuilder(endpoint.baseUri().resolve(sql + "&user=analytics&password=nope")));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
        var mixed = send(request(sql + "&user=analytics&password=secret"));
        assertThat(mixed.statusCode()).isEqualTo(403);
        assertThat(mixed.body()).contains("simultaneously");
    }

    @Test
    void errorsCarryTheEnginesCodeStatusAndText() throws Exception {
        var syntax = get("?query=" + encode("SELECT 1 +"));
        assertThat(syntax.statusCode()).isEqualTo(400);
        assertThat(syntax.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
        assertThat(syntax.body()).startsWith("Code: 62. DB::Exception:").contains("(SYNTAX_ERROR)");
        var unknownTable = get("?query=" + encode("SELECT * FROM analytics.nope"));
        assertThat(unknownTable.statusCode()).isEqualTo(404);
        assertThat(unknownTable.headers().firstValue("X-ClickHouse-Exception-Code"))
                .hasValue("60");
        var unknownSetting = get("?no_such_setting=1&query=" + encode("SELECT 1"));
        assertThat(unknownSetting.statusCode()).isEqualTo(404);
        assertThat(unknownSetting.headers().firstValue("X-ClickHouse-Exception-Code"))
                .hasValue("115");
    }

    @Test
    void theEngineAgreesWithTheErrorCodesThisInterfaceRaises() {
        for (ClickHouseError.Code code : ClickHouseError.Code.values()) {
            assertThat(engine.queryValue("SELECT errorCodeToName(" + code.number + ")"))
                    .isEqualTo(code.name());
        }
    }

    @Test
    void healthEndpointsAnswerOk() throws Exception {
        for (String path : List.of("ping", "replicas_status", "")) {
            var response = http.send(
                    HttpRequest.newBuilder(endpoint.baseUri().resolve(path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).as(path).isEqualTo("Ok.\n");
        }
    }

    @Test
    void metricsAnswerAsTheServersPrometheusHandlerWithoutCredentials() throws Exception {
        long queriesBefore = engine.queryLong("SELECT value FROM system.events WHERE event = 'Query'");
        var response = http.send(
                HttpRequest.newBuilder(endpoint.baseUri().resolve("metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String page = response.body();
        // The names the rules read (monitoring/prometheus/rules), typed as the server types them.
        assertThat(page)
                // The engine's counters are the process's: another test's stack may have read rows before this one.
                .containsPattern(
                        "# TYPE ClickHouseProfileEvents_KafkaRowsRead counter\nClickHouseProfileEvents_KafkaRowsRead \\d+\n")
                .contains("# TYPE ClickHouseProfileEvents_KafkaMessagesFailed counter\n")
                .contains("# TYPE ClickHouseMetrics_KafkaConsumersWithAssignment gauge\n")
                .contains("# TYPE ClickHouseMetrics_MemoryTracking gauge\n")
                .contains("# TYPE ClickHouseAsyncMetrics_OSMemoryTotal gauge\n")
                .contains("# TYPE ClickHouseAsyncMetrics_DiskAvailable_default gauge\n")
                .contains("# TYPE ClickHouseErrorMetric_");
        var queries =
                Pattern.compile("(?m)^ClickHouseProfileEvents_Query (\\d+)$").matcher(page);
        assertThat(queries.find()).as("the Query counter").isTrue();
        assertThat(Long.parseLong(queries.group(1))).isGreaterThan(queriesBefore);
        var disk = Pattern.compile("(?m)^ClickHouseAsyncMetrics_DiskTotal_default (\\d+)$")
                .matcher(page);
        assertThat(disk.find()).isTrue();
        assertThat(Long.parseLong(disk.group(1)))
                .isEqualTo(Files.getFileStore(data).getTotalSpace());

        // Prometheus parses it: exit code 1 would be a parse error, 3 only the lint remarks the server's names draw.
        var check = PrometheusTools.checkMetrics(page);
        assertThat(check.exitCode()).as(check.output()).isIn(0, 3);
        assertThat(check.output()).doesNotContain("error while linting");
    }

    @Test
    void responsesAreCompressedTheWaysClientsAsk() throws Exception {
        String sql = "?query=" + encode("SELECT id FROM analytics.t ORDER BY id");
        String plain = get(sql).body();

        var gzip = sendBytes(request(sql + "&enable_http_compression=1").header("Accept-Encoding", "gzip"));
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes()))
                .isEqualTo(plain);

        var blocks = sendBytes(request(sql + "&compress=1"));
        assertThat(blocks.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(blocks.body()[16]).isEqualTo((byte) 0x82);
        assertThat(new String(NativeCompression.decompress(blocks.body()))).isEqualTo(plain);

        var unsupported = sendBytes(request(sql + "&enable_http_compression=1").header("Accept-Encoding", "br"));
        assertThat(unsupported.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(new String(unsupported.body())).isEqualTo(plain);
    }

    @Test
    void aCompressedRequestBodyIsReadAndACorruptOneRefused() throws Exception {
        byte[] compressed = NativeCompression.compress("SELECT 42".getBytes(StandardCharsets.UTF_8));
        assertThat(send(request("?decompress=1").POST(HttpRequest.BodyPublishers.ofByteArray(compressed)))
                        .body())
                .isEqualTo("42\n");
        compressed[compressed.length - 1] ^= 0x55;
        var corrupt = send(request("?decompress=1").POST(HttpRequest.BodyPublishers.ofByteArray(compressed)));
        assertThat(corrupt.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("271");
        assertThat(corrupt.body()).contains("checksum mismatch");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT count() FROM file('/etc/passwd', 'LineAsString')",
                "SELECT count() FROM url('http://OUTSIDE/', 'LineAsString')",
                "SELECT * FROM remote('127.0.0.1:9000', system.one)",
                "SELECT * FROM s3('http://OUTSIDE/bucket/key.csv', 'CSV', 'x String')",
                "SELECT * FROM executable('ls', 'TSV', 'x String')",
                "INSERT INTO analytics.t VALUES (1000, 'x')",
                "CREATE TABLE analytics.u (x UInt8) ENGINE = Memory",
                "DROP TABLE analytics.t",
                "SET readonly = 0",
                "SELECT count() FROM (SELECT * FROM file('/etc/passwd', 'LineAsString') SETTINGS readonly = 0)",
                "WITH x AS (SELECT * FROM file('/etc/passwd', 'LineAsString') SETTINGS readonly = 0) SELECT count() FROM x",
                "SELECT count() FROM file('/etc/passwd', 'LineAsString') SETTINGS readonly = 0",
                "SELECT (SELECT count() FROM url('http://OUTSIDE/', 'LineAsString') SETTINGS readonly = 2)",
                "SELECT 1 INTO OUTFILE '/tmp/chanalytics-readonly-probe.txt'",
                "INSERT INTO FUNCTION file('/tmp/chanalytics-readonly-probe.txt', 'LineAsString') SELECT 'x'",
                "SELECT 1; DROP TABLE analytics.t",
                "KILL QUERY WHERE 1",
                "SYSTEM FLUSH LOGS",
                "DESCRIBE TABLE url('http://OUTSIDE/', 'JSONEachRow')",
                "SELECT count() FROM analytics.t FORMAT Null SETTINGS readonly = 0",
            })
    void everyWayOutOfReadOnlyIsRefusedAndReachesNothing(String sql) throws Exception {
        String outsideUrl = "127.0.0.1:" + outside.getAddress().getPort();
        var response = post("", sql.replace("OUTSIDE", outsideUrl));
        assertThat(response.statusCode()).as(response.body()).isGreaterThanOrEqualTo(400);
        assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).isPresent();
        assertThat(outsideHits.get())
                .as("requests that reached the outside server")
                .isZero();
        assertThat(Path.of("/tmp/chanalytics-readonly-probe.txt")).doesNotExist();
        assertThat(engine.queryLong("SELECT count() FROM analytics.t")).isEqualTo(100);
    }

    @Test
    void aSettingMayBeSentOnlyWithItsCurrentValueOrAsALowerLimit() throws Exception {
        String sql = "&query=" + encode("SELECT getSetting('max_execution_time')");
        // What the official JDBC driver sends with every statement.
        assertThat(get("?async_insert=0&wait_end_of_query=0" + sql).body()).isEqualTo("2\n");
        assertThat(get("?max_execution_time=1" + sql).body()).isEqualTo("1\n");
        var raised = get("?max_execution_time=3" + sql);
        assertThat(raised.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("452");
        var unlimited = get("?max_result_rows=0" + sql);
        assertThat(unlimited.headers().firstValue("X-ClickHouse-Exception-Code"))
                .hasValue("452");
        var changed = get("?readonly=0" + sql);
        assertThat(changed.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("164");
        assertThat(get("?readonly=1" + sql).body()).isEqualTo("2\n");
    }

    @Test
    void resultLimitsAreTheEnginesOwn() throws Exception {
        var rows = get("?query=" + encode("SELECT number FROM numbers(5000)"));
        assertThat(rows.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
        var bytes = get("?query=" + encode("SELECT repeat(toString(number), 100000) FROM numbers(100)"));
        assertThat(bytes.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
    }

    @Test
    void aQueryCutAtTheTimeLimitFreesTheEngine() throws Exception {
        long started = System.nanoTime();
        var slow = get("?query=" + encode(SLOW_QUERY));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(slow.statusCode()).isEqualTo(408);
        assertThat(slow.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("159");
        assertThat(took).isLessThan(Duration.ofSeconds(10));
        assertThat(get("?query=" + encode("SELECT count() FROM analytics.t")).body())
                .isEqualTo("100\n");
        // The engine's owner is not held up either.
        engine.execute("INSERT INTO analytics.t VALUES (500, 'after')");
        assertThat(engine.queryLong("SELECT count() FROM analytics.t WHERE id = 500"))
                .isEqualTo(1);
        engine.execute("DELETE FROM analytics.t WHERE id = 500");
    }

    @Test
    void queriesBeyondTheConcurrencyLimitAreRefusedAtOnce() throws Exception {
        var started = new CountDownLatch(LIMITS.maxConcurrentQueries());
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < LIMITS.maxConcurrentQueries(); i++) {
                slow.add(pool.submit(() -> {
                    started.countDown();
                    return get("?query=" + encode("SELECT sleepEachRow(0.5) FROM numbers(3)"));
                }));
            }
            started.await();
            Thread.sleep(500);
            var refused = get("?query=" + encode("SELECT 1"));
            assertThat(refused.headers().firstValue("X-ClickHouse-Exception-Code"))
                    .hasValue("202");
            for (var response : slow) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
        }
        assertThat(get("?query=" + encode("SELECT 1")).body()).isEqualTo("1\n");
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return send(request(pathAndQuery));
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        URI uri = endpoint.baseUri().resolve(pathAndQuery.isEmpty() ? "/" : pathAndQuery);
        return HttpRequest.newBuilder(uri).header("Authorization", CREDENTIALS).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
