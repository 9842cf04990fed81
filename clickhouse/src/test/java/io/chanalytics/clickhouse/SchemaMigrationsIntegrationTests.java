package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
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
        variables = SchemaVariables.withOverrides(
                Map.of(SchemaVariables.KAFKA_BROKER_LIST, "127.0.0.1:1", SchemaVariables.RAW_TTL_DAYS, "30")::get);
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
    void appliesEveryFileTwiceWithTheGivenVariables() {
        assertThat(statements).isPositive();
        assertThat(SchemaMigrations.fromClasspath().apply(db, variables)).isEqualTo(statements);

        assertThat(db.query("SELECT name FROM system.tables WHERE database = 'analytics' ORDER BY name"))
                .isEqualTo(String.join(
                        "\n",
                        "business_events",
                        "business_events_errors_mv",
                        "business_events_mv",
                        "business_events_product_1m",
                        "business_events_product_1m_mv",
                        "ingest_errors",
                        "kafka_business_events",
                        "kafka_request_metrics",
                        "kafka_system_metrics",
                        "request_metrics",
                        "request_metrics_1m",
                        "request_metrics_1m_mv",
                        "request_metrics_errors_mv",
                        "request_metrics_mv",
                        "request_metrics_region_1m",
                        "request_metrics_region_1m_mv",
                        "request_metrics_service_1m",
                        "request_metrics_service_1m_mv",
                        "request_metrics_status_1m",
                        "request_metrics_status_1m_mv",
                        "system_metrics",
                        "system_metrics_1m",
                        "system_metrics_1m_mv",
                        "system_metrics_errors_mv",
                        "system_metrics_mv",
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
     * 011 changes columns of a table that may hold data: re-applied at every start, its ALTERs must leave the types and
     * codecs as they are and queue no second rewrite of the column (a mutation per start would rewrite the raw table
     * each time the stack starts).
     */
    @Test
    void columnChangesAreAppliedOnceAndKeepStoredRowsReadable() {
        db.execute("INSERT INTO analytics.request_metrics (event_id, timestamp, service_name, instance_id, endpoint,"
                + " method, status_code, response_time_ms, request_size_bytes, response_size_bytes, _topic,"
                + " _partition, _offset) VALUES (generateUUIDv7(), now64(3), 'stored', 'stored-1', '/x', 'GET', 200,"
                + " 12.25, 0, 10, 'request-events', 0, 0)");
        long mutations = db.queryLong("SELECT count() FROM system.mutations WHERE database = 'analytics'");

        SchemaMigrations.fromClasspath().apply(db, variables);
        SchemaMigrations.fromClasspath().apply(db, variables);

        assertThat(db.queryLong("SELECT count() FROM system.mutations WHERE database = 'analytics'"))
                .isEqualTo(mutations);
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
     * existed are merged in from request_metrics_1m's states, per service, once (applying the files again adds
     * nothing), and they answer like the same values sketched directly.
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

        SchemaMigrations.fromClasspath().apply(db, variables);
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
}
