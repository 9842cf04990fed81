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
}
