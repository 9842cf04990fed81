package io.chanalytics.clickhouse.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code ${VAR}} values the schema files use. Their names and defaults (for a laptop: Kafka on localhost:9092, the
 * registry on localhost:8081) are in {@code clickhouse/schema/variables.env}, which
 * the runner reads in the embedded engine and in the compose schema container; the constants name the ones callers
 * override.
 */
public final class SchemaVariables {

    public static final String KAFKA_BROKER_LIST = "CH_KAFKA_BROKER_LIST";
    public static final String SCHEMA_REGISTRY_URL = "CH_SCHEMA_REGISTRY_URL";
    public static final String KAFKA_FLUSH_INTERVAL_MS = "CH_KAFKA_FLUSH_INTERVAL_MS";
    public static final String KAFKA_NUM_CONSUMERS = "CH_KAFKA_NUM_CONSUMERS";
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

    private static final String DEFAULTS_FILE = "/clickhouse/schema/variables.env";

    /** Every variable with its default value, in the file's order. */
    public static Map<String, String> defaults() {
        try (InputStream in = SchemaVariables.class.getResourceAsStream(DEFAULTS_FILE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_FILE + " is missing from the classpath");
            }
            Map<String, String> values = new LinkedHashMap<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .forEach(line -> {
                        int equals = line.indexOf('=');
                        if (equals < 1) {
                            throw new IllegalStateException(DEFAULTS_FILE + ": not NAME=value: " + line);
                        }
                        values.put(line.substring(0, equals), line.substring(equals + 1));
                    });
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DEFAULTS_FILE, e);
        }
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
