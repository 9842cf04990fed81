package io.chanalytics.clickhouse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code ${VAR}} values the schema files use, with the defaults for a laptop (Kafka on localhost:9092, the
 * registry on localhost:8081). {@code clickhouse/docker/initdb/apply-schema.sh} knows the same names; the README
 * lists them.
 */
public final class SchemaVariables {

    public static final String KAFKA_BROKER_LIST = "CH_KAFKA_BROKER_LIST";
    public static final String SCHEMA_REGISTRY_URL = "CH_SCHEMA_REGISTRY_URL";
    public static final String KAFKA_FLUSH_INTERVAL_MS = "CH_KAFKA_FLUSH_INTERVAL_MS";
    public static final String TOPIC_REQUEST_EVENTS = "CH_TOPIC_REQUEST_EVENTS";
    public static final String TOPIC_BUSINESS_EVENTS = "CH_TOPIC_BUSINESS_EVENTS";
    public static final String TOPIC_SYSTEM_METRICS = "CH_TOPIC_SYSTEM_METRICS";
    public static final String GROUP_REQUEST_METRICS = "CH_GROUP_REQUEST_METRICS";
    public static final String GROUP_BUSINESS_EVENTS = "CH_GROUP_BUSINESS_EVENTS";
    public static final String GROUP_SYSTEM_METRICS = "CH_GROUP_SYSTEM_METRICS";
    public static final String RAW_TTL_DAYS = "CH_RAW_TTL_DAYS";
    public static final String ROLLUP_TTL_DAYS = "CH_ROLLUP_TTL_DAYS";
    public static final String INGEST_ERRORS_TTL_DAYS = "CH_INGEST_ERRORS_TTL_DAYS";

    private SchemaVariables() {}

    /** Every variable with its default value. */
    public static Map<String, String> defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KAFKA_BROKER_LIST, "localhost:9092");
        values.put(SCHEMA_REGISTRY_URL, "http://localhost:8081");
        values.put(KAFKA_FLUSH_INTERVAL_MS, "1000");
        values.put(TOPIC_REQUEST_EVENTS, "request-events");
        values.put(TOPIC_BUSINESS_EVENTS, "business-events");
        values.put(TOPIC_SYSTEM_METRICS, "system-metrics");
        values.put(GROUP_REQUEST_METRICS, "clickhouse_request_metrics");
        values.put(GROUP_BUSINESS_EVENTS, "clickhouse_business_events");
        values.put(GROUP_SYSTEM_METRICS, "clickhouse_system_metrics");
        values.put(RAW_TTL_DAYS, "90");
        values.put(ROLLUP_TTL_DAYS, "730");
        values.put(INGEST_ERRORS_TTL_DAYS, "14");
        return values;
    }

    /** The defaults, each overridden by the environment variable of the same name when it is set. */
    public static Map<String, String> fromEnvironment() {
        return withOverrides(System::getenv);
    }

    /** The defaults, each overridden by {@code lookup.apply(name)} when that is not blank. */
    public static Map<String, String> withOverrides(UnaryOperator<String> lookup) {
        Map<String, String> values = defaults();
        values.replaceAll((name, value) -> {
            String override = lookup.apply(name);
            return override == null || override.isBlank() ? value : override.strip();
        });
        return values;
    }
}
