package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema files applied to the real engine, then fed by direct inserts into the raw tables. */
class SchemaMigrationsIntegrationTests {

    @TempDir
    Path dataPath;

    @Test
    void appliesEveryFileTwiceAndFeedsTheRollupsFromTheRawTables() {
        // No broker listens on port 1: the Kafka tables exist but consume nothing, so only direct inserts count.
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

            db.execute("""
                    INSERT INTO analytics.request_metrics (event_id, timestamp, service_name, instance_id, endpoint,
                        method, status_code, response_time_ms, request_size_bytes, response_size_bytes, user_id,
                        region, _topic, _partition, _offset)
                    VALUES
                        (generateUUIDv4(), '2026-01-01 10:00:01', 'crud-api', 'i1', '/users/{id}', 'GET', 200, 10,
                         5, 100, 'u1', 'eu', 'request-events', 0, 1),
                        (generateUUIDv4(), '2026-01-01 10:00:02', 'crud-api', 'i1', '/users/{id}', 'GET', 503, 30,
                         5, 100, 'u2', 'eu', 'request-events', 0, 2),
                        (generateUUIDv4(), '2026-01-01 10:00:03', 'crud-api', 'i1', '/users/{id}', 'GET', 204, 20,
                         5, 0, NULL, NULL, 'request-events', 0, 3)
                    """);
            assertThat(db.query("""
                            SELECT minute, endpoint, status_class, countMerge(requests), sumMerge(errors), sumMerge(response_time_sum),
                                   sumMerge(response_bytes)
                            FROM analytics.request_metrics_1m GROUP BY ALL ORDER BY ALL
                            """))
                    .isEqualTo("2026-01-01 10:00:00\t/users/{id}\t2\t2\t0\t30\t100\n"
                            + "2026-01-01 10:00:00\t/users/{id}\t5\t1\t1\t30\t100\n");
            assertThat(db.query("SELECT region, countMerge(requests), uniqMerge(users)"
                            + " FROM analytics.request_metrics_region_1m GROUP BY region ORDER BY region"))
                    .isEqualTo("\t1\t0\neu\t2\t2\n");

            db.execute("""
                    INSERT INTO analytics.business_events (event_id, timestamp, event_type, service_name, product_id,
                        amount, _topic, _partition, _offset)
                    VALUES
                        (generateUUIDv4(), '2026-01-01 10:00:01', 'PRODUCT_VIEWED', 'ecommerce-api', 'p1', NULL,
                         'business-events', 0, 1),
                        (generateUUIDv4(), '2026-01-01 10:00:02', 'ORDER_PLACED', 'ecommerce-api', NULL, 0.10,
                         'business-events', 0, 2),
                        (generateUUIDv4(), '2026-01-01 10:00:03', 'ORDER_PLACED', 'ecommerce-api', NULL, 0.20,
                         'business-events', 0, 3),
                        (generateUUIDv4(), '2026-01-01 10:00:04', 'ORDER_FAILED', 'ecommerce-api', NULL, 99.99,
                         'business-events', 0, 4)
                    """);
            assertThat(db.query("SELECT sumMerge(views), sumMerge(orders), sumMerge(failed_orders), sumMerge(revenue)"
                            + " FROM analytics.business_events_product_1m"))
                    .isEqualTo("1\t2\t1\t0.3\n");
        }
    }
}
