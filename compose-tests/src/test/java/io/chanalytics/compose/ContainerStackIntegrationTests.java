package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.grafana.GrafanaMacros;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.TopicSettings;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.testing.SampleEvents;
import io.chanalytics.stack.EmbeddedStack;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.ServiceProcess;
import io.chanalytics.stack.StackEnvironment;
import io.chanalytics.stack.StackSettings;
import io.chanalytics.stack.VerifierExpectations;
import io.chanalytics.stack.clickhouse.ClickHouseHttpSettings;
import io.chanalytics.stack.clickhouse.QueryLimits;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.monitoring.MonitoringSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The ingestion path and every dashboard panel on the images docker-compose.yml runs (named in .env, read from it):
 * the apache/kafka broker, Confluent's schema registry, PostgreSQL, and the ClickHouse server initialised by the same
 * schema files (applied as compose's clickhouse-schema one-shot applies them), users file and Kafka settings compose
 * mounts; panels run as the read-only
 * {@code grafana} user with the {@code max_execution_time} the Grafana plugin sends. The two services run from their
 * jars against those containers, and the stack verifier must find what it finds on the embedded stack
 * ({@link VerifierExpectations}, shared with EmbeddedStackIntegrationTests). The backend is the one thing that
 * differs: containers here, the in-process parts there. Where no Docker engine answers (this project's own CI
 * machines) the class is skipped with the reason "no Docker engine"; the in-process parts cover the same path there.
 */
@EnabledIf(value = "dockerAnswers", disabledReason = "no Docker engine")
class ContainerStackIntegrationTests {

    private static final Path ROOT = RepositoryLayout.root();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int REQUESTS = 120;
    private static final int BUSINESS = 60;
    private static final int SYSTEM = 12;

    private static Network network;
    private static KafkaContainer kafka;
    private static GenericContainer<?> registry;
    private static ClickHouseContainer clickHouse;
    private static PostgreSQLContainer postgres;
    private static ServiceProcess crudApi;
    private static ServiceProcess ecommerceApi;
    private static StackSettings settings;

    @BeforeAll
    static void startTheComposeImages() throws IOException {
        network = Network.newNetwork();
        kafka = new KafkaContainer(image("KAFKA_IMAGE")).withNetwork(network).withListener("kafka:19092");
        kafka.start();
        registry = new GenericContainer<>(image("SCHEMA_REGISTRY_IMAGE"))
                .withNetwork(network)
                .withNetworkAliases("schema-registry")
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .withExposedPorts(8081)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
        registry.start();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBootstrapServers()))) {
            admin.createTopics(TopicSettings.DEFAULTS.newTopics(EventTopics.DEFAULTS))
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the event topics", e);
        }
        String schema = "clickhouse/src/main/resources/clickhouse";
        // Testcontainers' ClickHouse module (it sets CLICKHOUSE_USER/PASSWORD as compose does and checks a JDBC
        // connection once the real server answers), with compose's mounts and variables.
        clickHouse = new ClickHouseContainer(image("CLICKHOUSE_IMAGE"))
                .withUsername("analytics")
                .withPassword("analytics")
                .withNetwork(network)
                .withEnv("CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT", "1")
                .withEnv("CLICKHOUSE_GRAFANA_PASSWORD", "grafana")
                .withFileSystemBind(
                        ROOT.resolve("clickhouse/docker/users.d/grafana.xml").toString(),
                        "/etc/clickhouse-server/users.d/grafana.xml",
                        BindMode.READ_ONLY)
                .withFileSystemBind(
                        ROOT.resolve("clickhouse/docker/users.d/ingestion.xml").toString(),
                        "/etc/clickhouse-server/users.d/ingestion.xml",
                        BindMode.READ_ONLY)
                .withFileSystemBind(
                        ROOT.resolve(schema + "/config/kafka.xml").toString(),
                        "/etc/clickhouse-server/config.d/kafka.xml",
                        BindMode.READ_ONLY)
                .withStartupTimeout(Duration.ofMinutes(3));
        clickHouse.start();
        // What compose's clickhouse-schema one-shot runs (SchemaRunner): the module's files over HTTP, the ledger
        // kept, with compose's variables.
        SchemaMigrations.fromDirectory(ROOT.resolve(schema + "/schema"))
                .apply(
                        new ClickHouseHttpSession(
                                URI.create("http://" + clickHouse.getHost() + ":" + clickHouse.getMappedPort(8123)),
                                "analytics",
                                "analytics",
                                Duration.ofMinutes(2)),
                        SchemaVariables.with(Map.of(
                                "CH_KAFKA_BROKER_LIST", "kafka:19092",
                                "CH_SCHEMA_REGISTRY_URL", "http://schema-registry:8081",
                                "CH_KAFKA_FLUSH_INTERVAL_MS", "250")));

        // Testcontainers' PostgreSQL module: it waits for the real server (the image's init step runs a temporary one
        // first), then checks a JDBC connection.
        postgres = new PostgreSQLContainer(image("POSTGRES_IMAGE"))
                .withNetwork(network)
                .withDatabaseName("chanalytics")
                .withUsername("chanalytics")
                .withPassword("chanalytics");
        postgres.start();
        settings = containerSettings();
        Path logs = ROOT.resolve("compose-tests/target/container-service-logs");
        crudApi = startService("crud-api", settings.crudApiPort(), logs);
        ecommerceApi = startService("ecommerce-api", settings.ecommerceApiPort(), logs);
    }

    /** The containers' host ports in the shape the embedded stack's settings have, for the services and the verifier. */
    private static StackSettings containerSettings() throws IOException {
        Matcher bootstrap = Pattern.compile(":(\\d+)$").matcher(kafka.getBootstrapServers());
        assertThat(bootstrap.find()).as(kafka.getBootstrapServers()).isTrue();
        List<Integer> free = StackSettings.freePorts(3);
        return new StackSettings(
                ROOT.resolve("compose-tests/target/container-stack"),
                Integer.parseInt(bootstrap.group(1)),
                free.get(0),
                TopicSettings.DEFAULTS.partitions(),
                StackSettings.TOPICS,
                registry.getMappedPort(8081),
                postgres.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                "chanalytics",
                "chanalytics",
                "chanalytics",
                new ClickHouseHttpSettings(
                        ClickHouseHttpSettings.LOOPBACK,
                        clickHouse.getMappedPort(8123),
                        "analytics",
                        "analytics",
                        QueryLimits.DEFAULTS),
                free.get(1),
                free.get(2),
                ServiceProcess.builtJar("crud-api"),
                ServiceProcess.builtJar("ecommerce-api"),
                true,
                // These containers leave Prometheus out: its files are checked by the monitoring module's tests.
                new MonitoringSettings(0, 0, 0, 0, false),
                // The services it starts beside the containers run without sign-in (the compose file's Keycloak
                // serves the containers' own services).
                new KeycloakSettings(false, 0, 0, "chanalytics", "", "", "", ""));
    }

    private static ServiceProcess startService(String name, int port, Path logs) {
        Path jar = ServiceProcess.builtJar(name);
        ServiceProcess service =
                ServiceProcess.start(name, jar, port, EmbeddedStack.serviceEnvironment(settings, port), logs);
        service.awaitReady(Duration.ofMinutes(3));
        return service;
    }

    static boolean dockerAnswers() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess service : new ServiceProcess[] {ecommerceApi, crudApi}) {
            if (service != null) {
                service.close();
            }
        }
        for (var container : new GenericContainer<?>[] {postgres, clickHouse, registry, kafka}) {
            if (container != null) {
                container.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    /** The same expectations as on the embedded stack: only the backend differs. */
    @Test
    void theStackVerifierFindsWhatItFindsOnTheEmbeddedStack(TestReporter reporter) throws IOException {
        assumeTrue(
                List.of("localhost", "127.0.0.1").contains(clickHouse.getHost()),
                "the Docker engine is not on this host (" + clickHouse.getHost() + "): the services run here");
        List<Integer> closed = StackSettings.freePorts(2);

        VerifierExpectations.verifierPasses(
                VerifierExpectations.target(settings, closed.get(0), closed.get(1)), reporter);
    }

    /**
     * ingestion.xml merged into the image's own users.xml: its default profile, which the Kafka tables insert with,
     * carries the file's settings (the embedded engine's IngestionProfileIntegrationTests reads the same file).
     */
    @Test
    void theImagesDefaultProfileCarriesTheIngestionSettings() throws Exception {
        assertThat(query(
                                "analytics",
                                "analytics",
                                "SELECT value FROM system.settings_profile_elements WHERE profile_name = 'default'"
                                        + " AND setting_name = 'optimize_on_insert'",
                                Map.of())
                        .strip())
                .isEqualTo("0");
    }

    @Test
    void eventsArriveOnceAndEveryPanelRunsAsTheReadOnlyGrafanaUser() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        URI registryUri = URI.create("http://" + registry.getHost() + ":" + registry.getMappedPort(8081));
        try (var publisher = EventPublisher.connect(
                kafka.getBootstrapServers(),
                EventPublisherSettings.DEFAULTS,
                new SchemaRegistryClient(registryUri),
                new SimpleMeterRegistry())) {
            for (int i = 0; i < REQUESTS; i++) {
                publisher.publish(SampleEvents.request(i, now.minusSeconds(i)));
            }
            for (int i = 0; i < BUSINESS; i++) {
                publisher.publish(SampleEvents.business(i, now.minusSeconds(i)));
            }
            for (int i = 0; i < SYSTEM; i++) {
                publisher.publish(SampleEvents.system(i, now.minusSeconds(i)));
            }
            assertThat(publisher.awaitIdle(Duration.ofSeconds(60))).isTrue();
            assertThat(publisher.stats().published()).isEqualTo(REQUESTS + BUSINESS + SYSTEM);
        }

        await("rows visible").atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
            assertThat(count("request_metrics")).isEqualTo(REQUESTS);
            assertThat(count("business_events")).isEqualTo(BUSINESS);
            assertThat(count("system_metrics")).isEqualTo(SYSTEM);
        });
        assertThat(query("analytics", "analytics", "SELECT count() FROM analytics.ingest_errors", Map.of())
                        .strip())
                .isEqualTo("0");

        // What the plugin sends with each query: max_execution_time = queryTimeout + 5 (see GrafanaProvisioningTests).
        String queryTimeout = Files.readString(ROOT.resolve("grafana/provisioning/datasources/clickhouse.yml"))
                .replaceAll("(?s).*queryTimeout: \"(\\d+)\".*", "$1");
        Map<String, String> pluginSettings =
                Map.of("max_execution_time", Integer.toString(Integer.parseInt(queryTimeout) + 5));
        var macros = new GrafanaMacros(
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofMinutes(1)),
                Duration.ofSeconds(60),
                Map.of("service", List.of(GrafanaMacros.ALL)));
        var softly = new SoftAssertions();
        for (Dashboards.PanelQuery panel :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            softly.assertThatCode(() -> query("grafana", "grafana", macros.expand(panel.sql()), pluginSettings))
                    .as(panel.toString())
                    .doesNotThrowAnyException();
        }
        softly.assertAll();
    }

    private static long count(String table) throws Exception {
        return Long.parseLong(query("analytics", "analytics", "SELECT count() FROM analytics." + table, Map.of())
                .strip());
    }

    private static String query(String user, String password, String sql, Map<String, String> settings)
            throws IOException, InterruptedException {
        StringBuilder url = new StringBuilder(
                "http://" + clickHouse.getHost() + ":" + clickHouse.getMappedPort(8123) + "/?database=analytics");
        settings.forEach(
                (name, value) -> url.append('&').append(name).append('=').append(value));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url.toString()))
                        .header(
                                "Authorization",
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        (user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(sql))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** The image compose runs: the one .env names. */
    private static String image(String variable) {
        return StackEnvironment.defaults(ROOT).text(variable);
    }
}
