package io.chanalytics.stack;

import io.chanalytics.clickhouse.EmbeddedClickHouse;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.registry.SchemaRegistryServer;
import io.chanalytics.stack.clickhouse.ClickHouseHttpEndpoint;
import io.chanalytics.stack.keycloak.Keycloak;
import io.chanalytics.stack.keycloak.KeycloakDistribution;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.monitoring.Monitoring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.utils.Exit;
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
    private static final Duration KAFKA_CONSUMERS_TIMEOUT = Duration.ofSeconds(60);

    static {
        ClickHouseHttpEndpoint.useTcpNoDelay(); // before the schema registry's server, the process's first
    }

    private final StackSettings settings;
    private final StackParts parts;
    // Concurrent: stopProcesses() reads it from whichever thread Kafka halts on.
    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();

    private KafkaBroker kafka;
    private SchemaRegistryServer registry;
    private EmbeddedClickHouse clickHouse;
    private ClickHouseHttpEndpoint http;
    private Monitoring monitoring;
    private CompletableFuture<Keycloak> keycloakStarting;
    private Keycloak keycloak;

    private EmbeddedStack(StackSettings settings) {
        this.settings = settings;
        this.parts = StackParts.in(settings.dataDirectory());
    }

    /**
     * Runs the stack until stopped; {@code --stop-leftovers <data directory>} instead stops what a stack that died left
     * running there (what {@code scripts/stop.sh} runs, see {@link StackParts#main}).
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 2 && args[0].equals("--stop-leftovers")) {
            StackParts.main(new String[] {args[1]});
            return;
        }
        Path repositoryRoot = Path.of("").toAbsolutePath();
        StackSettings settings = StackSettings.fromEnvironment(System::getenv, repositoryRoot);
        var stack = new EmbeddedStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(Thread.ofPlatform().name("stack-shutdown").unstarted(() -> {
                    System.out.println("Stopping the embedded stack ...");
                    stack.close();
                    stopped.countDown();
                }));
        // A fatal broker error (its log directory deleted, a full disk) halts the JVM through Kafka's Exit, which
        // skips shutdown hooks: stop the child processes and PostgreSQL first so that none is left orphaned.
        Exit.setHaltProcedure((statusCode, message) -> {
            log.error("Kafka halts the process ({}); stopping the services and PostgreSQL first", message);
            stack.stopProcesses();
            Runtime.getRuntime().halt(statusCode);
        });
        try {
            stack.startAll();
        } catch (RuntimeException | Error e) {
            // The broker's threads would keep the JVM alive; exiting runs the shutdown hook, which stops the rest.
            log.error("The embedded stack failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
        System.out.println(stack.summary());
        stopped.await();
    }

    /** Starts every part in dependency order; on failure, stops what already runs and rethrows. */
    public static EmbeddedStack start(StackSettings settings) {
        var stack = new EmbeddedStack(settings);
        stack.startAll();
        return stack;
    }

    private void startAll() {
        Path data = settings.dataDirectory();
        stopLeftovers();
        requireFreePorts();
        parts.recordStack();
        try {
            if (settings.keycloak().enabled()) {
                startKeycloak(data);
            }
            log.info("Starting Kafka (KRaft) on {}", settings.bootstrapServers());
            kafka = keep(KafkaBroker.start(
                    data.resolve("kafka"),
                    settings.kafkaPort(),
                    settings.kafkaControllerPort(),
                    settings.topics(),
                    settings.kafkaPartitions()));
            endpoints.put("Kafka", kafka.bootstrapServers() + "  topics " + String.join(", ", settings.topics()));

            log.info("Starting the schema registry on port {}", settings.schemaRegistryPort());
            registry = keep(SchemaRegistryServer.start(settings.schemaRegistryPort(), data.resolve("schema-registry")));
            endpoints.put("Schema registry", registry.baseUri().toString());

            log.info("Starting PostgreSQL on port {}", settings.postgresPort());
            keep(Postgres.start(
                    data.resolve("postgres"),
                    settings.postgresPort(),
                    settings.postgresDatabase(),
                    settings.postgresUser(),
                    settings.postgresPassword()));
            endpoints.put("PostgreSQL", settings.postgresJdbcUrl() + "  user " + settings.postgresUser());

            // The services' JVMs start while the engine opens and its consumers join: neither needs the other.
            List<ServiceProcess> services = settings.startServices() ? launchServices(data.resolve("logs")) : List.of();
            startClickHouse(data);
            awaitServices(services);
            if (keycloakStarting != null) {
                awaitKeycloak();
            }
            startMonitoring(data);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * First, without waiting: Keycloak is prepared (unpacked and built once per machine, about 40 s the first time)
     * and imports the realm while the other parts start; the services fetch its keys only when the first token
     * arrives. Stopping the stack stops it, however far it got.
     */
    private void startKeycloak(Path data) {
        Path root = RepositoryLayout.root();
        KeycloakSettings keycloakSettings = settings.keycloak();
        keycloakStarting = CompletableFuture.supplyAsync(
                () -> {
                    Path distribution = KeycloakDistribution.prepare(
                            root.resolve("embedded-stack/stack/target/keycloak"),
                            Path.of(System.getProperty("user.home"), ".cache", "chanalytics", "keycloak"));
                    log.info(
                            "Starting Keycloak on port {} (realm {})",
                            keycloakSettings.port(),
                            keycloakSettings.realm());
                    Keycloak started = Keycloak.start(
                            keycloakSettings,
                            distribution,
                            root.resolve("keycloak/import"),
                            data.resolve("keycloak"),
                            data.resolve("logs"));
                    parts.record("keycloak", started.toHandle());
                    return started;
                },
                task -> Thread.ofVirtual().name("keycloak-start").start(task));
        keep(this::stopKeycloak);
    }

    /** Waits for a Keycloak still being prepared, then stops it; nothing to do if it never started. */
    private void stopKeycloak() {
        Keycloak started =
                keycloakStarting.handle((process, failure) -> process).join();
        if (started != null) {
            started.close();
        }
    }

    private void awaitKeycloak() {
        try {
            keycloak = keycloakStarting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        log.info("Waiting for Keycloak (pid {}, log {})", keycloak.pid(), keycloak.logFile());
        keycloak.awaitReady();
        KeycloakSettings keycloakSettings = settings.keycloak();
        endpoints.put(
                "Keycloak",
                "http://localhost:" + keycloakSettings.port() + "  realm " + keycloakSettings.realm()
                        + " (a token: scripts/token.sh alice; console /admin, user " + keycloakSettings.adminUser()
                        + ")");
    }

    private void startClickHouse(Path data) {
        log.info("Opening the ClickHouse engine (chDB) in {}", data.resolve("clickhouse"));
        clickHouse = keep(EmbeddedClickHouse.start(data.resolve("clickhouse"), clickHouseVariables(settings)));
        ChDb engine = clickHouse.engine();
        log.info("ClickHouse {} ready with the schema; waiting for its Kafka consumers", engine.version());
        // After a restart the old consumers' sessions must expire first (a few seconds, see EmbeddedClickHouse).
        clickHouse.awaitKafkaConsumers(KAFKA_CONSUMERS_TIMEOUT);
        http = keep(ClickHouseHttpEndpoint.start(settings.clickhouseHttp(), engine));
        endpoints.put(
                "ClickHouse",
                http.baseUri() + "  (read-only HTTP interface, e.g. curl -u "
                        + settings.clickhouseHttp().user()
                        + ":... '" + http.baseUri() + "?query=SELECT+count()+FROM+analytics.request_metrics';"
                        + " JDBC jdbc:clickhouse://" + http.baseUri().getAuthority() + "/analytics)");
    }

    /** Last: Prometheus's first scrape finds every part up. */
    private void startMonitoring(Path data) {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        targets.put("crud-api", settings.startServices() ? List.of("127.0.0.1:" + settings.crudApiPort()) : List.of());
        targets.put(
                "ecommerce-api",
                settings.startServices() ? List.of("127.0.0.1:" + settings.ecommerceApiPort()) : List.of());
        targets.put("clickhouse", List.of(http.baseUri().getAuthority()));
        targets.put("keycloak", keycloak != null ? List.of(settings.keycloak().metricsTarget()) : List.of());
        log.info("Starting the monitoring (consumer lag, alert receiver, Prometheus and Alertmanager if installed)");
        monitoring = keep(Monitoring.start(
                settings.monitoring(),
                RepositoryLayout.root(),
                data,
                data.resolve("logs"),
                settings.bootstrapServers(),
                targets,
                parts::record));
        endpoints.putAll(monitoring.endpoints());
    }

    /**
     * The schema's variables: the environment's {@code CH_*} values where set, this stack's broker and registry, and no
     * more request consumers than the topics have partitions.
     */
    static Map<String, String> clickHouseVariables(StackSettings settings) {
        Map<String, String> fromEnvironment = SchemaVariables.fromEnvironment();
        // A consumer beyond the topic's partitions would get none of them and only poll.
        int consumers =
                Math.min(Integer.parseInt(fromEnvironment.get("CH_KAFKA_NUM_CONSUMERS")), settings.kafkaPartitions());
        return SchemaVariables.with(
                fromEnvironment,
                Map.of(
                        "CH_KAFKA_BROKER_LIST", settings.bootstrapServers(),
                        "CH_SCHEMA_REGISTRY_URL", settings.schemaRegistryUrl(),
                        "CH_KAFKA_NUM_CONSUMERS", Integer.toString(consumers)));
    }

    /**
     * A stack that died without stopping its parts (SIGKILL, the OOM killer) may have left its services and PostgreSQL
     * running on this data directory: stop them, so that a start after a crash needs nothing else. A stack that still
     * runs on it is left alone, and this one does not start.
     */
    private void stopLeftovers() {
        parts.runningStack().ifPresent(stack -> {
            throw new IllegalStateException("A stack already runs on " + settings.dataDirectory() + ": " + stack
                    + ". Stop it with scripts/stop.sh, or set CHANALYTICS_DATA_DIR to another directory.");
        });
        List<StackParts.Part> stopped = parts.stopLeftovers();
        if (!stopped.isEmpty()) {
            log.warn("An earlier stack ended without stopping its parts; stopped what it left running: {}", stopped);
        }
    }

    /**
     * Fails before anything starts when a port is taken, typically by a stack that still runs: two brokers on one
     * log directory would damage it.
     */
    private void requireFreePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("KAFKA_PORT", settings.kafkaPort());
        ports.put("KAFKA_CONTROLLER_PORT", settings.kafkaControllerPort());
        ports.put("SCHEMA_REGISTRY_PORT", settings.schemaRegistryPort());
        ports.put("POSTGRES_PORT", settings.postgresPort());
        ports.put("CLICKHOUSE_HTTP_PORT", settings.clickhouseHttp().port());
        if (settings.startServices()) {
            ports.put("CRUD_API_PORT", settings.crudApiPort());
            ports.put("ECOMMERCE_API_PORT", settings.ecommerceApiPort());
        }
        ports.put("KAFKA_EXPORTER_PORT", settings.monitoring().consumerLagPort());
        ports.put("ALERT_WEBHOOK_PORT", settings.monitoring().alertWebhookPort());
        if (settings.keycloak().enabled()) {
            ports.put("KEYCLOAK_PORT", settings.keycloak().port());
            ports.put("KEYCLOAK_MANAGEMENT_PORT", settings.keycloak().managementPort());
        }
        if (settings.monitoring().enabled()) {
            ports.put("PROMETHEUS_PORT", settings.monitoring().prometheusPort());
            ports.put("ALERTMANAGER_PORT", settings.monitoring().alertmanagerPort());
        }
        ports.forEach((variable, port) -> {
            try (var socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                throw new IllegalStateException("Port " + port + " (" + variable + ") is in use: is a stack already"
                        + " running? Stop it, or set " + variable + " to another port.");
            }
        });
    }

    /**
     * Both at once: each service migrates only its own schema (ecommerce-api reads crud.products at request time, and
     * no foreign key crosses the schemas), so neither waits for the other. Started one after the other, their two
     * Spring starts took 20 s of a 40 s stack start.
     */
    private List<ServiceProcess> launchServices(Path logDirectory) {
        return List.of(
                launchService("crud-api", settings.crudApiJar(), settings.crudApiPort(), logDirectory),
                launchService("ecommerce-api", settings.ecommerceApiJar(), settings.ecommerceApiPort(), logDirectory));
    }

    private ServiceProcess launchService(String name, Path jar, int port, Path logDirectory) {
        ServiceProcess service =
                keep(ServiceProcess.start(name, jar, port, serviceEnvironment(settings, port), logDirectory));
        parts.record(name, service.toHandle());
        return service;
    }

    private void awaitServices(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            log.info("Waiting for {} (pid {}, log {})", service.name(), service.pid(), service.logFile());
            service.awaitReady(SERVICE_READY_TIMEOUT);
            endpoints.put(
                    service.name(),
                    "http://127.0.0.1:" + service.port() + "  (OpenAPI UI /docs, log " + service.logFile() + ")");
        }
    }

    /** The variables both services read (apis/README.md), pointing at the stack {@code settings} describe. */
    public static Map<String, String> serviceEnvironment(StackSettings settings, int port) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("POSTGRES_HOST", "127.0.0.1");
        environment.put("POSTGRES_PORT", Integer.toString(settings.postgresPort()));
        environment.put("POSTGRES_DB", settings.postgresDatabase());
        environment.put("POSTGRES_USER", settings.postgresUser());
        environment.put("POSTGRES_PASSWORD", settings.postgresPassword());
        environment.put("KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers());
        environment.put("SCHEMA_REGISTRY_URL", settings.schemaRegistryUrl());
        // The services declare the event topics too (NewTopic): with another partition count, Kafka's admin would add
        // partitions to the live topics, which ClickHouse's consumers only notice minutes later.
        environment.put("KAFKA_PARTITIONS", Integer.toString(settings.kafkaPartitions()));
        KeycloakSettings keycloak = settings.keycloak();
        environment.put("CHANALYTICS_AUTH_ENABLED", Boolean.toString(keycloak.enabled()));
        environment.put("KEYCLOAK_ISSUER_URI", keycloak.issuer().toString());
        environment.put("KEYCLOAK_JWK_SET_URI", keycloak.jwkSetUri().toString());
        environment.put(
                "KEYCLOAK_INTROSPECTION_URI", keycloak.introspectionEndpoint().toString());
        environment.put("API_OAUTH_CLIENT_SECRET", keycloak.apiClientSecret());
        return environment;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public URI schemaRegistryUri() {
        return registry.baseUri();
    }

    /** The ClickHouse-compatible HTTP endpoint (read-only queries). */
    public URI clickHouseUri() {
        return http.baseUri();
    }

    /** The broker, which outage tests stop and restart under a running stack. */
    public KafkaBroker kafka() {
        return kafka;
    }

    /** Keycloak (null with sign-in off), which outage tests stop under a running stack. */
    public Keycloak keycloak() {
        return keycloak;
    }

    /** Prometheus, Alertmanager (where installed), the consumer-lag endpoint and the alert receiver. */
    public Monitoring monitoring() {
        return monitoring;
    }

    /** The engine itself, for callers in this process that need more than read-only queries. */
    public ChDb clickHouse() {
        return clickHouse.engine();
    }

    /** What runs where, printed once everything is up. */
    public String summary() {
        StringBuilder text = new StringBuilder("\nEmbedded stack is up (data in ")
                .append(settings.dataDirectory().toAbsolutePath())
                .append("):\n");
        endpoints.forEach((name, where) -> text.append(String.format("  %-16s %s%n", name, where)));
        if (settings.startServices()) {
            text.append("Load: ./mvnw -pl simulator-gatling gatling:test (simulator-gatling/README.md)\n");
        }
        text.append("Press Ctrl-C to stop.\n");
        return text.toString();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.push(resource);
        return resource;
    }

    /**
     * Stops what runs outside this JVM (the services, PostgreSQL) without waiting for the stack's lock: for a halt,
     * when the JVM ends without shutdown hooks and possibly while {@link #close()} is in progress.
     */
    void stopProcesses() {
        for (AutoCloseable resource : List.copyOf(running)) {
            if (resource instanceof ServiceProcess || resource instanceof Postgres) {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), e.getMessage(), e);
                }
            }
        }
    }

    /** Stops everything that was started, newest first, so the services flush before Kafka goes away. */
    @Override
    public synchronized void close() {
        // The services and Keycloak are told at once, as each may need 10-25 s to write its start's AOT cache
        // (AotCache); the loop below still waits for each, the services before Kafka goes away.
        running.stream()
                .filter(ServiceProcess.class::isInstance)
                .map(ServiceProcess.class::cast)
                .forEach(ServiceProcess::requestStop);
        if (keycloak != null) {
            keycloak.requestStop();
        }
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), e.getMessage(), e);
            }
        }
        parts.clear();
    }
}
