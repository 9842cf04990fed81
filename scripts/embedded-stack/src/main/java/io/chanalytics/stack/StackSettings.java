package io.chanalytics.stack;

import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.TopicSettings;
import io.chanalytics.stack.clickhouse.ClickHouseHttpSettings;
import io.chanalytics.stack.clickhouse.QueryLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where everything runs: the same host ports as {@code docker-compose.yml}, each overridable by the variable compose
 * uses, and the data directory ({@code ./.data} by default, gitignored).
 */
public record StackSettings(
        Path dataDirectory,
        int kafkaPort,
        int kafkaControllerPort,
        int kafkaPartitions,
        List<String> topics,
        int schemaRegistryPort,
        int postgresPort,
        String postgresDatabase,
        String postgresUser,
        String postgresPassword,
        ClickHouseHttpSettings clickhouseHttp,
        int crudApiPort,
        int ecommerceApiPort,
        Path crudApiJar,
        Path ecommerceApiJar,
        boolean startServices) {

    public static final List<String> TOPICS = EventTopics.DEFAULTS.all();

    /** Reads the settings from environment variables, falling back to the compose defaults. */
    public static StackSettings fromEnvironment(UnaryOperator<String> environment, Path repositoryRoot) {
        var env = new Env(environment);
        return new StackSettings(
                Path.of(env.text(
                        "CHANALYTICS_DATA_DIR", repositoryRoot.resolve(".data").toString())),
                env.port("KAFKA_PORT", 9092),
                env.port("KAFKA_CONTROLLER_PORT", 9093),
                env.number("KAFKA_PARTITIONS", TopicSettings.DEFAULTS.partitions()),
                TOPICS,
                env.port("SCHEMA_REGISTRY_PORT", 8081),
                env.port("POSTGRES_PORT", 5432),
                env.text("POSTGRES_DB", "chanalytics"),
                env.text("POSTGRES_USER", "chanalytics"),
                env.text("POSTGRES_PASSWORD", "chanalytics"),
                new ClickHouseHttpSettings(
                        env.text("CLICKHOUSE_HTTP_HOST", ClickHouseHttpSettings.LOOPBACK),
                        env.port("CLICKHOUSE_HTTP_PORT", 8123),
                        env.text("CLICKHOUSE_ADMIN_USER", "analytics"),
                        // Empty means "no password", allowed on loopback only; the compose default otherwise.
                        env.raw("CLICKHOUSE_ADMIN_PASSWORD", "analytics"),
                        new QueryLimits(
                                Duration.ofSeconds(env.number("CLICKHOUSE_MAX_EXECUTION_TIME", (int)
                                        QueryLimits.DEFAULTS.maxExecutionTime().toSeconds())),
                                env.longNumber("CLICKHOUSE_MAX_RESULT_ROWS", QueryLimits.DEFAULTS.maxResultRows()),
                                env.longNumber("CLICKHOUSE_MAX_RESULT_BYTES", QueryLimits.DEFAULTS.maxResultBytes()),
                                env.number(
                                        "CLICKHOUSE_MAX_CONCURRENT_QUERIES",
                                        QueryLimits.DEFAULTS.maxConcurrentQueries()))),
                env.port("CRUD_API_PORT", 8001),
                env.port("ECOMMERCE_API_PORT", 8002),
                Path.of(env.text(
                        "CRUD_API_JAR",
                        repositoryRoot.resolve("apis/crud-api/target").toString())),
                Path.of(env.text(
                        "ECOMMERCE_API_JAR",
                        repositoryRoot.resolve("apis/ecommerce-api/target").toString())),
                !Boolean.parseBoolean(env.text("STACK_SKIP_SERVICES", "false")));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String schemaRegistryUrl() {
        return "http://127.0.0.1:" + schemaRegistryPort;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + postgresDatabase;
    }

    private record Env(UnaryOperator<String> environment) {

        String text(String name, String fallback) {
            String value = environment.apply(name);
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        String raw(String name, String fallback) {
            String value = environment.apply(name);
            return value == null ? fallback : value;
        }

        long longNumber(String name, long fallback) {
            String value = text(name, Long.toString(fallback));
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, was '" + value + "'", e);
            }
        }

        int port(String name, int fallback) {
            return number(name, fallback);
        }

        int number(String name, int fallback) {
            long value = longNumber(name, fallback);
            if (value != (int) value) {
                throw new IllegalArgumentException(name + " is out of range: " + value);
            }
            return (int) value;
        }
    }
}
