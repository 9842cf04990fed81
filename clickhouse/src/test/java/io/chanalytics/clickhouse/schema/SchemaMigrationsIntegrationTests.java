package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.chanalytics.clickhouse.EventColumnContract;
import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema files applied to the real engine (the pipeline tests feed them through Kafka). One engine for the class:
 * chDB opens Kafka tables once per process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaMigrationsIntegrationTests {

    @TempDir
    static Path dataPath;

    private ChDb db;
    private Map<String, String> variables;
    private int statements;

    @BeforeAll
    void applyOnce() {
        // No broker listens on port 1: the Kafka tables exist but consume nothing.
        variables = SchemaVariables.with(Map.of("CH_KAFKA_BROKER_LIST", "127.0.0.1:1", "CH_RAW_TTL_DAYS", "30"));
        db = ChDb.open(dataPath);
        statements = SchemaMigrations.fromClasspath().apply(db, variables);
    }

    @AfterAll
    void close() {
        db.close();
    }

    /**
     * The Avro schemas and the Kafka engine tables describe the same events: a field added to one without the other
     * (or with a type ClickHouse cannot read it into) fails here, before a message would fail to parse or lose a
     * value at ingestion. Reads the tables as the engine created them from the schema files.
     */
    @Test
    void everyAvroFieldHasAColumnOfAReadableTypeAndEveryColumnAField() {
        Map<String, org.apache.avro.Schema> tables = Map.of(
                "kafka_request_metrics", io.chanalytics.events.RequestEvent.getClassSchema(),
                "kafka_business_events", io.chanalytics.events.BusinessEvent.getClassSchema(),
                "kafka_system_metrics", io.chanalytics.events.SystemMetricsEvent.getClassSchema());
        tables.forEach((table, schema) -> {
            Map<String, String> columns = new java.util.LinkedHashMap<>();
            db.query("SELECT name, type FROM system.columns WHERE database = 'analytics' AND table = '" + table
                            + "' ORDER BY position")
                    .lines()
                    .map(line -> line.split("\t", 2))
                    .forEach(cells -> columns.put(cells[0], cells[1]));
            assertThat(columns).as(table + " columns").isNotEmpty();
            assertThat(EventColumnContract.mismatches(schema, columns))
                    .as(table)
                    .isEmpty();
        });
    }

    @Test
    void appliesEveryFileOnceWithTheGivenVariables() {
        assertThat(statements).isPositive();
        assertThat(SchemaMigrations.fromClasspath().apply(db, variables))
                .as("statements run by a second start")
                .isZero();

        assertThat(db.query("SELECT name FROM system.tables WHERE database = 'analytics' ORDER BY name"))
                .isEqualTo(String.join(
                        "\n",
                        "business_events",
                        "business_events_blocks_mv",
                        "business_events_errors_mv",
                        "business_events_mv",
                        "business_events_product_1m",
                        "business_events_product_1m_mv",
                        "business_events_replays_mv",
                        "ingest_blocks",
                        "ingest_errors",
                        "ingest_replays",
                        "kafka_business_events",
                        "kafka_request_metrics",
                        "kafka_system_metrics",
                        "request_metrics",
                        "request_metrics_1m",
                        "request_metrics_1m_mv",
                        "request_metrics_blocks_mv",
                        "request_metrics_endpoint_1h",
                        "request_metrics_endpoint_1h_mv",
                        "request_metrics_errors_mv",
                        "request_metrics_mv",
                        "request_metrics_region_1h",
                        "request_metrics_region_1h_mv",
                        "request_metrics_region_1m",
                        "request_metrics_region_1m_mv",
                        "request_metrics_replays_mv",
                        "request_metrics_service_1m",
                        "request_metrics_service_1m_mv",
                        "request_metrics_status_1m",
                        "request_metrics_status_1m_mv",
                        "rollup_reconciliations",
                        "schema_migrations",
                        "system_metrics",
                        "system_metrics_1m",
                        "system_metrics_1m_mv",
                        "system_metrics_blocks_mv",
                        "system_metrics_errors_mv",
                        "system_metrics_mv",
                        "system_metrics_replays_mv",
                        ""));
        assertThat(db.queryValue("SELECT create_table_query FROM system.tables"
                        + " WHERE database = 'analytics' AND name = 'kafka_request_metrics'"))
                .contains("kafka_broker_list = \\'127.0.0.1:1\\'")
                .contains("kafka_group_name = \\'clickhouse_request_metrics\\'")
                .contains("kafka_handle_error_mode = \\'stream\\'");
        assertThat(db.queryValue("SELECT create_table_query FROM system.tables"
                        + " WHERE database = 'analytics' AND name = 'request_metrics'"))
                .contains("toIntervalDay(30)");

        assertThat(db.queryValue("SELECT create_table_query FROM system.tables"
                        + " WHERE database = 'analytics' AND name = 'request_metrics_1m_mv'"))
                .as("rollups are fed straight from the Kafka table, skipping rows with errors")
                .contains("FROM analytics.kafka_request_metrics")
                .contains("length(_error) = 0");
    }

    /**
     * 011 changes columns of a table that may hold data. A database from before the ledger runs every file once more:
     * its ALTERs must then leave the types and codecs as they are and queue no second rewrite of the column.
     */
    @Test
    void columnChangesAreAppliedOnceAndKeepStoredRowsReadable() {
        db.execute("INSERT INTO analytics.request_metrics (event_id, timestamp, service_name, instance_id, endpoint,"
                + " method, status_code, response_time_ms, request_size_bytes, response_size_bytes, _topic,"
                + " _partition, _offset) VALUES (generateUUIDv7(), now64(3), 'stored', 'stored-1', '/x', 'GET', 200,"
                + " 12.25, 0, 10, 'request-events', 0, 0)");
        String mutationsOfTheRawTable =
                "SELECT count() FROM system.mutations WHERE database = 'analytics' AND table = 'request_metrics'";
        long mutations = db.queryLong(mutationsOfTheRawTable);

        forget("011_request_metrics_smaller_columns.sql");
        SchemaMigrations.fromClasspath().apply(db, variables);

        assertThat(db.queryLong(mutationsOfTheRawTable)).isEqualTo(mutations);
        assertThat(db.query("SELECT name, type, compression_codec FROM system.columns WHERE database = 'analytics'"
                        + " AND table = 'request_metrics' AND name IN ('event_id', 'response_time_ms', 'transaction_amount', '_timestamp')"
                        + " ORDER BY name"))
                .isEqualTo("_timestamp\tNullable(DateTime64(3))\tCODEC(Delta(8), ZSTD(1))\n"
                        + "event_id\tUUID\tCODEC(ZSTD(3))\n"
                        + "response_time_ms\tFloat32\tCODEC(ZSTD(1))\n"
                        + "transaction_amount\tNullable(Float64)\tCODEC(ZSTD(1))\n");
        assertThat(db.queryValue(
                        "SELECT response_time_ms FROM analytics.request_metrics WHERE service_name = 'stored'"))
                .isEqualTo("12.25");
    }

    /**
     * 012 adds a service-level rollup to installations that already hold request_metrics_1m: minutes from before it
     * existed are merged in from request_metrics_1m's states, per service, and answer like the same values sketched
     * directly; a database from before the ledger, which runs the file once more, gets nothing twice.
     */
    @Test
    void theServiceRollupTakesEarlierMinutesFromTheEndpointRollupOnce() {
        // Two endpoints of one service in one minute two days ago, as request_metrics_1m_mv would have written them.
        db.execute("""
                INSERT INTO analytics.request_metrics_1m
                SELECT toStartOfMinute(now() - INTERVAL 2 DAY) AS minute, 'history' AS service_name,
                       if(number % 2 = 0, '/a', '/b') AS endpoint, 'GET' AS method, toUInt8(2) AS status_class,
                       countState() AS requests, sumState(toUInt64(0)) AS errors,
                       sumState(toFloat64(number)) AS response_time_sum, maxState(toFloat64(number)) AS response_time_max,
                       quantilesDDState(0.01, 0.5, 0.95, 0.99)(toFloat64(number)) AS response_time_quantiles,
                       sumState(toUInt64(0)) AS request_bytes, sumState(toUInt64(0)) AS response_bytes
                FROM numbers(1, 1000) GROUP BY endpoint
                """);
        // This database as it was before 012: no service rollup yet.
        db.execute("DROP VIEW analytics.request_metrics_service_1m_mv");
        db.execute("DROP TABLE analytics.request_metrics_service_1m");
        forget("012_request_metrics_service_1m.sql");

        SchemaMigrations.fromClasspath().apply(db, variables);
        forget("012_request_metrics_service_1m.sql");
        SchemaMigrations.fromClasspath().apply(db, variables);

        assertThat(db.query("""
                SELECT count(), countMerge(requests), sumMerge(response_time_sum),
                       quantilesDDMerge(0.01, 0.5, 0.95, 0.99)(response_time_quantiles)[2]
                           = (SELECT quantilesDD(0.01, 0.5, 0.95, 0.99)(toFloat64(number))[2] FROM numbers(1, 1000))
                FROM analytics.request_metrics_service_1m WHERE service_name = 'history'
                """))
                .as("one row for the minute; 1,000 requests; their latency sum; the p95 of all 1,000 values")
                .isEqualTo("1\t1000\t500500\t1\n");
    }

    /**
     * 013 replaces the request stream's Kafka table (its settings cannot be altered): the new one has the parallel
     * consumers, the same topic and consumer group (so committed offsets carry over), and every view that read the old
     * table reads it.
     */
    @Test
    void theRequestKafkaTableIsReplacedWithParallelConsumersUnderItsViews() {
        String kafkaTable = db.queryValue("SELECT create_table_query FROM system.tables"
                + " WHERE database = 'analytics' AND name = 'kafka_request_metrics'");
        assertThat(kafkaTable)
                .contains("kafka_num_consumers = 3")
                .contains("kafka_thread_per_consumer = 1")
                .contains("kafka_group_name = \\'clickhouse_request_metrics\\'")
                .contains("kafka_topic_list = \\'request-events\\'");
        assertThat(db.query("SELECT arrayJoin(dependencies_table) AS view FROM system.tables"
                        + " WHERE database = 'analytics' AND name = 'kafka_request_metrics' ORDER BY view"))
                .isEqualTo(String.join(
                        "\n",
                        "request_metrics_1m_mv",
                        "request_metrics_blocks_mv",
                        "request_metrics_endpoint_1h_mv",
                        "request_metrics_errors_mv",
                        "request_metrics_mv",
                        "request_metrics_region_1h_mv",
                        "request_metrics_region_1m_mv",
                        "request_metrics_replays_mv",
                        "request_metrics_service_1m_mv",
                        "request_metrics_status_1m_mv",
                        ""));
        assertThat(db.queryLong("EXISTS TABLE analytics.kafka_request_metrics_columns"))
                .isZero();
    }

    /** Each file is recorded once, with the SHA-256 of its text; the runner over HTTP records the same. */
    @Test
    void theLedgerHoldsEachFileOnceWithItsChecksum() throws Exception {
        List<SqlScript> scripts = SchemaMigrations.fromClasspath().scripts();
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        String expected = scripts.stream()
                .map(script -> script.name() + "\t"
                        + HexFormat.of().formatHex(digest.digest(script.text().getBytes(StandardCharsets.UTF_8))))
                .collect(Collectors.joining("\n", "", "\n"));

        assertThat(db.query("SELECT file, any(checksum) FROM " + SchemaMigrations.LEDGER + " GROUP BY file"
                        + " HAVING count() = 1 ORDER BY file"))
                .isEqualTo(expected);
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(13);
    }

    /** An applied file that was edited stops the runner, in process and over HTTP: its change would otherwise be lost. */
    @Test
    void anAppliedFileThatWasEditedStopsTheRunnerInProcessAndOverHttp(@TempDir Path edited) throws Exception {
        Path schema = Path.of("src/main/resources/clickhouse/schema");
        try (var files = Files.list(schema)) {
            for (Path file : files.toList()) {
                Files.copy(file, edited.resolve(file.getFileName()));
            }
        }
        Path database = edited.resolve("001_database.sql");
        Files.writeString(database, Files.readString(database) + "\n-- an edit\n");
        long recorded = db.queryLong("SELECT count() FROM " + SchemaMigrations.LEDGER);

        assertThatThrownBy(() -> SchemaMigrations.fromDirectory(edited).apply(db, variables))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("001_database.sql was edited after it was applied");
        assertThatThrownBy(() -> overHttp(
                        server -> SchemaMigrations.fromDirectory(edited).apply(server, variables)))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("001_database.sql was edited after it was applied");
        assertThat(db.queryLong("SELECT count() FROM " + SchemaMigrations.LEDGER))
                .isEqualTo(recorded);
    }

    /**
     * The runner compose runs (the clickhouse-schema one-shot: SchemaRunner over HTTP) reads the ledger the embedded
     * engine's runner wrote and runs nothing again; after a file is forgotten it runs that file alone and records it.
     */
    @Test
    void theRunnerOverHttpRunsOnlyWhatTheLedgerLacks() throws Exception {
        SchemaMigrations migrations = SchemaMigrations.fromDirectory(Path.of("src/main/resources/clickhouse/schema"));
        SqlScript forgotten = migrations.scripts().stream()
                .filter(script -> script.name().equals("006_request_metrics_1m.sql"))
                .findFirst()
                .orElseThrow();

        int upToDate = overHttp(server -> migrations.apply(server, variables));
        forget(forgotten.name());
        int oneFile = overHttp(server -> migrations.apply(server, variables));

        assertThat(upToDate).isZero();
        assertThat(oneFile)
                .isEqualTo(migrations
                        .statements(variables, SchemaMode.SINGLE_NODE)
                        .get(forgotten.name())
                        .size());
        assertThat(ledger()).containsKey(forgotten.name());
        assertThat(db.query(
                                "SELECT count() FROM " + SchemaMigrations.LEDGER + " WHERE file = {file:String}",
                                Map.of("file", forgotten.name()))
                        .strip())
                .isEqualTo("1");
    }

    /**
     * Files 001-013 were re-baselined once (the cluster mode's placeholders, the Kafka settings written once): a
     * database whose ledger records their earlier text is recognised as up to date, not refused as edited.
     */
    @Test
    void aDatabaseAppliedBeforeTheRebaselineIsUpToDate() throws Exception {
        Path schema = Path.of("src/main/resources/clickhouse/schema");
        List<String[]> earlier = Files.readAllLines(schema.resolve(SchemaMigrations.REBASELINED)).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.strip().split("\\s+"))
                .toList();
        assertThat(earlier)
                .extracting(cells -> cells[1])
                .contains("001_database.sql", "013_request_metrics_parallel_consumers.sql");
        Map<String, String> recorded = ledger();
        Map<String, String> beforeRebaseline = new TreeMap<>(recorded);
        earlier.forEach(cells -> beforeRebaseline.put(cells[1], cells[0]));
        try {
            writeLedger(beforeRebaseline);

            assertThat(SchemaMigrations.fromDirectory(schema).apply(db, variables))
                    .isZero();
        } finally {
            writeLedger(recorded);
        }
    }

    /** Removes a file from the ledger, as if it had never run (or the database predated the ledger). */
    private void forget(String file) {
        Map<String, String> rows = ledger();
        rows.remove(file);
        writeLedger(rows);
    }

    /** The ledger's rows: file to checksum. */
    private Map<String, String> ledger() {
        Map<String, String> rows = new TreeMap<>();
        db.query("SELECT file, checksum FROM " + SchemaMigrations.LEDGER + " ORDER BY file")
                .lines()
                .map(line -> line.split("\t", 2))
                .forEach(cells -> rows.put(cells[0], cells[1]));
        return rows;
    }

    /** Replaces the ledger's rows, each value bound as a parameter. */
    private void writeLedger(Map<String, String> rows) {
        db.execute("TRUNCATE TABLE " + SchemaMigrations.LEDGER);
        rows.forEach((file, checksum) -> db.execute(
                "INSERT INTO " + SchemaMigrations.LEDGER + " (file, checksum) SELECT {file:String}, {checksum:String}",
                Map.of("file", file, "checksum", checksum)));
    }

    /**
     * Runs {@code work} with a {@link ClickHouseHttpSession} whose server is a bridge in this JVM: each POSTed
     * statement runs on this class's engine and comes back as its TabSeparated result (HTTP 500 and the engine's
     * message on failure, as a server answers).
     */
    private <T> T overHttp(java.util.function.Function<SqlSession, T> work) throws IOException {
        HttpServer bridge = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        bridge.createContext("/", exchange -> {
            String sql = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> parameters = new TreeMap<>();
            for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                String[] nameValue = pair.split("=", 2);
                if (nameValue[0].startsWith("param_")) {
                    parameters.put(
                            nameValue[0].substring("param_".length()),
                            URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
                }
            }
            int status = 200;
            String answer;
            try {
                answer = db.query(sql, parameters);
            } catch (ChDbException e) {
                status = 500;
                answer = e.getMessage();
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        bridge.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + bridge.getAddress().getPort());
            return work.apply(new ClickHouseHttpSession(url, "analytics", "analytics", Duration.ofMinutes(1)));
        } finally {
            bridge.stop(0);
        }
    }
}
