package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema files applied to the real engine (the pipeline tests feed them through Kafka). */
class SchemaMigrationsIntegrationTests {

    @TempDir
    Path dataPath;

    @Test
    void appliesEveryFileTwiceWithTheGivenVariables() {
        // No broker listens on port 1: the Kafka tables exist but consume nothing.
        Map<String, String> variables = SchemaVariables.withOverrides(
                Map.of(SchemaVariables.KAFKA_BROKER_LIST, "127.0.0.1:1", SchemaVariables.RAW_TTL_DAYS, "30")::get);
        try (ChDb db = ChDb.open(dataPath)) {
            SchemaMigrations migrations = SchemaMigrations.fromClasspath();
            int statements = migrations.apply(db, variables);
            assertThat(migrations.apply(db, variables)).isEqualTo(statements);

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
}
