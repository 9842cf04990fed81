package io.chanalytics.stack;

import io.chanalytics.metrics.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole stack without Docker, on loopback with the ports of {@code docker-compose.yml}: a real Kafka broker
 * (KRaft), the schema registry, PostgreSQL, the ClickHouse engine (chDB) with the schema applied and consuming the
 * topics, a ClickHouse-compatible HTTP query endpoint, and both services as child processes. Ctrl-C stops
 * everything in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackSettings settings;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private EmbeddedStack(StackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws InterruptedException {
        Path repositoryRoot = Path.of("").toAbsolutePath();
        StackSettings settings = StackSettings.fromEnvironment(System::getenv, repositoryRoot);
        EmbeddedStack stack = new EmbeddedStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("stack-shutdown").unstarted(() -> {
                    System.out.println("Stopping the embedded stack ...");
                    stack.close();
                    stopped.countDown();
                }));
        try {
            stack.start();
        } catch (RuntimeException e) {
            log.error("The embedded stack failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
        System.out.println(stack.summary());
        stopped.await();
    }

    /** Starts every part in dependency order; on failure, stops what already runs and rethrows. */
    public void start() {
        Path data = settings.dataDirectory();
        try {
            log.info("Starting Kafka (KRaft) on {}", settings.bootstrapServers());
            KafkaBroker kafka = keep(KafkaBroker.start(
                    data.resolve("kafka"),
                    settings.kafkaPort(),
                    settings.kafkaControllerPort(),
                    settings.topics(),
                    settings.kafkaPartitions()));
            endpoints.put("Kafka", kafka.bootstrapServers() + "  topics " + String.join(", ", settings.topics()));

            log.info("Starting the schema registry on port {}", settings.schemaRegistryPort());
            SchemaRegistryServer registry =
                    keep(SchemaRegistryServer.start(settings.schemaRegistryPort(), data.resolve("schema-registry")));
            endpoints.put("Schema registry", registry.baseUri().toString());

            log.info("Starting PostgreSQL on port {}", settings.postgresPort());
            keep(Postgres.start(
                    data.resolve("postgres"),
                    settings.postgresPort(),
                    settings.postgresDatabase(),
                    settings.postgresUser(),
                    settings.postgresPassword()));
            endpoints.put("PostgreSQL", settings.postgresJdbcUrl() + "  user " + settings.postgresUser());

            startClickHouse(data);

            if (settings.startServices()) {
                startServices(data.resolve("logs"));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startClickHouse(Path data) {
        // Wired to the ClickHouse engine module (chDB + schema) in a later step.
    }

    private void startServices(Path logDirectory) {
        List<ServiceProcess> services = new ArrayList<>();
        services.add(keep(ServiceProcess.start(
                "crud-api",
                settings.crudApiJar(),
                settings.crudApiPort(),
                serviceEnvironment(settings.crudApiPort()),
                logDirectory)));
        Map<String, String> ecommerce = new LinkedHashMap<>(serviceEnvironment(settings.ecommerceApiPort()));
        ecommerce.put("CRUD_API_URL", "http://127.0.0.1:" + settings.crudApiPort());
        services.add(keep(ServiceProcess.start(
                "ecommerce-api", settings.ecommerceApiJar(), settings.ecommerceApiPort(), ecommerce, logDirectory)));
        for (ServiceProcess service : services) {
            log.info("Waiting for {} (pid {}, log {})", service.name(), service.pid(), service.logFile());
            service.awaitReady(SERVICE_READY_TIMEOUT);
            endpoints.put(
                    service.name(),
                    "http://127.0.0.1:" + service.port() + "  (docs /docs, log " + service.logFile() + ")");
        }
    }

    /** The environment both services get: the same variables compose sets, pointing at this stack. */
    Map<String, String> serviceEnvironment(int port) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("SPRING_R2DBC_URL", settings.postgresR2dbcUrl());
        environment.put("SPRING_R2DBC_USERNAME", settings.postgresUser());
        environment.put("SPRING_R2DBC_PASSWORD", settings.postgresPassword());
        environment.put("SPRING_FLYWAY_URL", settings.postgresJdbcUrl());
        environment.put("SPRING_FLYWAY_USER", settings.postgresUser());
        environment.put("SPRING_FLYWAY_PASSWORD", settings.postgresPassword());
        environment.put("CHANALYTICS_EVENTS_BOOTSTRAP_SERVERS", settings.bootstrapServers());
        environment.put("CHANALYTICS_EVENTS_SCHEMA_REGISTRY_URL", settings.schemaRegistryUrl());
        return environment;
    }

    /** What runs where, printed once everything is up. */
    public String summary() {
        StringBuilder text = new StringBuilder("\nEmbedded stack is up (data in ")
                .append(settings.dataDirectory().toAbsolutePath())
                .append("):\n");
        endpoints.forEach((name, where) -> text.append(String.format("  %-16s %s%n", name, where)));
        text.append("Press Ctrl-C to stop.\n");
        return text.toString();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.push(resource);
        return resource;
    }

    /** Stops everything that was started, newest first, so the services flush before Kafka goes away. */
    @Override
    public synchronized void close() {
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), e.getMessage(), e);
            }
        }
    }
}
