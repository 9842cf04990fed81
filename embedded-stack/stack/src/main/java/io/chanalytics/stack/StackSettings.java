package io.chanalytics.stack;

import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.stack.clickhouse.ClickHouseHttpSettings;
import io.chanalytics.stack.clickhouse.QueryLimits;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.monitoring.MonitoringSettings;
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
 * Where everything runs: the same host ports and credentials as compose, read from the same {@code .env} (each
 * overridable by the environment), and the data directory ({@code ./.data} by default, gitignored).
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
        boolean startServices,
        MonitoringSettings monitoring,
        KeycloakSettings keycloak) {

    public static final List<String> TOPICS = EventTopics.DEFAULTS.all();

    /**
     * Every part on a free loopback port, the services included: a stack that can run next to another (tests). The
     * ports are free when chosen; something else may take one before the stack binds it, which then fails to start.
     */
    public static StackSettings onFreePorts(
            Path dataDirectory, int kafkaPartitions, Path crudApiJar, Path ecommerceApiJar) {
        List<Integer> ports = freePorts(13);
        var defaults = StackEnvironment.defaults(RepositoryLayout.root());
        return new StackSettings(
                dataDirectory,
                ports.get(0),
                ports.get(1),
                kafkaPartitions,
                TOPICS,
                ports.get(2),
                ports.get(3),
                defaults.text("POSTGRES_DB"),
                defaults.text("POSTGRES_USER"),
                defaults.text("POSTGRES_PASSWORD"),
                new ClickHouseHttpSettings(
                        ClickHouseHttpSettings.LOOPBACK,
                        ports.get(4),
                        defaults.text("CLICKHOUSE_ADMIN_USER"),
                        defaults.text("CLICKHOUSE_ADMIN_PASSWORD"),
                        QueryLimits.DEFAULTS),
                ports.get(5),
                ports.get(6),
                crudApiJar,
                ecommerceApiJar,
                true,
                new MonitoringSettings(ports.get(7), ports.get(8), ports.get(9), ports.get(10), true),
                keycloak(defaults, Boolean.parseBoolean(defaults.text("SIGN_IN")), ports.get(11), ports.get(12)));
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
                "ECOMMERCE_API_PORT",
                "PROMETHEUS_PORT",
                "ALERTMANAGER_PORT",
                "KAFKA_EXPORTER_PORT",
                "ALERT_WEBHOOK_PORT",
                "KEYCLOAK_PORT",
                "KEYCLOAK_MANAGEMENT_PORT");
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

    /** The settings of {@code environment} over the repository's {@code .env} (see {@link StackEnvironment}). */
    public static StackSettings fromEnvironment(UnaryOperator<String> environment, Path repositoryRoot) {
        return from(StackEnvironment.of(environment, repositoryRoot), repositoryRoot);
    }

    public static StackSettings from(StackEnvironment env, Path repositoryRoot) {
        return new StackSettings(
                Path.of(env.text(
                        "CHANALYTICS_DATA_DIR", repositoryRoot.resolve(".data").toString())),
                env.number("KAFKA_PORT"),
                env.number("KAFKA_CONTROLLER_PORT"),
                env.number("KAFKA_PARTITIONS"),
                TOPICS,
                env.number("SCHEMA_REGISTRY_PORT"),
                env.number("POSTGRES_PORT"),
                env.text("POSTGRES_DB"),
                env.text("POSTGRES_USER"),
                env.text("POSTGRES_PASSWORD"),
                new ClickHouseHttpSettings(
                        env.text("CLICKHOUSE_HTTP_HOST", ClickHouseHttpSettings.LOOPBACK),
                        env.number("CLICKHOUSE_HTTP_PORT"),
                        env.text("CLICKHOUSE_ADMIN_USER"),
                        // Empty means "no password", allowed on loopback only.
                        env.raw("CLICKHOUSE_ADMIN_PASSWORD"),
                        QueryLimits.DEFAULTS.withExecutionAndResults(
                                Duration.ofSeconds(env.number("CLICKHOUSE_MAX_EXECUTION_TIME", (int)
                                        QueryLimits.DEFAULTS.maxExecutionTime().toSeconds())),
                                env.longNumber("CLICKHOUSE_MAX_RESULT_ROWS", QueryLimits.DEFAULTS.maxResultRows()),
                                env.longNumber("CLICKHOUSE_MAX_RESULT_BYTES", QueryLimits.DEFAULTS.maxResultBytes()),
                                env.number(
                                        "CLICKHOUSE_MAX_CONCURRENT_QUERIES",
                                        QueryLimits.DEFAULTS.maxConcurrentQueries()))),
                env.number("CRUD_API_PORT"),
                env.number("ECOMMERCE_API_PORT"),
                Path.of(env.text(
                        "CRUD_API_JAR",
                        repositoryRoot.resolve("apis/crud-api/target").toString())),
                Path.of(env.text(
                        "ECOMMERCE_API_JAR",
                        repositoryRoot.resolve("apis/ecommerce-api/target").toString())),
                !Boolean.parseBoolean(env.text("STACK_SKIP_SERVICES", "false")),
                new MonitoringSettings(
                        env.number("PROMETHEUS_PORT"),
                        env.number("ALERTMANAGER_PORT"),
                        env.number("KAFKA_EXPORTER_PORT"),
                        env.number("ALERT_WEBHOOK_PORT"),
                        Boolean.parseBoolean(env.text("MONITORING"))),
                keycloak(
                        env,
                        Boolean.parseBoolean(env.text("SIGN_IN")),
                        env.number("KEYCLOAK_PORT"),
                        env.number("KEYCLOAK_MANAGEMENT_PORT")));
    }

    private static KeycloakSettings keycloak(StackEnvironment env, boolean enabled, int port, int managementPort) {
        return new KeycloakSettings(
                enabled,
                port,
                managementPort,
                env.text("KEYCLOAK_REALM"),
                env.text("KEYCLOAK_ADMIN_USER"),
                env.text("KEYCLOAK_ADMIN_PASSWORD"),
                env.text("KEYCLOAK_DEMO_PASSWORD"),
                env.text("API_OAUTH_CLIENT_SECRET"));
    }

    /** The same stack with sign-in on or off ({@code SIGN_IN}). */
    public StackSettings withSignIn(boolean enabled) {
        return new StackSettings(
                dataDirectory,
                kafkaPort,
                kafkaControllerPort,
                kafkaPartitions,
                topics,
                schemaRegistryPort,
                postgresPort,
                postgresDatabase,
                postgresUser,
                postgresPassword,
                clickhouseHttp,
                crudApiPort,
                ecommerceApiPort,
                crudApiJar,
                ecommerceApiJar,
                startServices,
                monitoring,
                keycloak.withEnabled(enabled));
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
}
