package io.chanalytics.stack;

import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.TopicSettings;
import io.chanalytics.stack.clickhouse.ClickHouseHttpSettings;
import io.chanalytics.stack.clickhouse.QueryLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Every part on a free loopback port, the services included: a stack that can run next to another (tests). The
     * ports are free when chosen; something else may take one before the stack binds it, which then fails to start.
     */
    public static StackSettings onFreePorts(
            Path dataDirectory, int kafkaPartitions, Path crudApiJar, Path ecommerceApiJar) {
        List<Integer> ports = freePorts(7);
        return new StackSettings(
                dataDirectory,
                ports.get(0),
                ports.get(1),
                kafkaPartitions,
                TOPICS,
                ports.get(2),
                ports.get(3),
                "chanalytics",
                "chanalytics",
                "chanalytics",
                ClickHouseHttpSettings.loopback(ports.get(4)),
                ports.get(5),
                ports.get(6),
                crudApiJar,
                ecommerceApiJar,
                true);
    }

    /** Every port variable of the stack, each set to a port free a moment ago: the environment of a second stack. */
    public static Map<String, String> freePortVariables() {
        List<String> names = List.of(
                "KAFKA_PORT",
                "KAFKA_CONTROLLER_PORT",
                "SCHEMA_REGISTRY_PORT",
                "POSTGRES_PORT",
                "CLICKHOUSE_HTTP_PORT",
                "CRUD_API_PORT",
                "ECOMMERCE_API_PORT");
        List<Integer> ports = freePorts(names.size());
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            variables.put(names.get(i), Integer.toString(ports.get(i)));
        }
        return variables;
    }

    /** {@code count} distinct ports that were free a moment ago. */
    public static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // only probing: the port is released either way
                }
            }
        }
    }

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
