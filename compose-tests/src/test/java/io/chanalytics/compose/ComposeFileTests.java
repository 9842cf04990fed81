package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chanalytics.clickhouse.ingest.ReconcilerMain;
import io.chanalytics.clickhouse.schema.SchemaRunner;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackEnvironment;
import io.chanalytics.stack.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * Static checks of {@code docker-compose.yml}: it runs nowhere here, so every promise it makes is checked on file. The
 * checks every compose file must pass run on the cluster file too ({@link ClusterComposeFileTests} has its own).
 */
class ComposeFileTests {

    private static final Path ROOT = RepositoryLayout.root();
    private static final Set<String> ONE_SHOT = Set.of("preflight", "kafka-init", "clickhouse-schema");

    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void parse() throws IOException {
        compose = ComposeFile.load("docker-compose.yml");
        services = ComposeFile.servicesOf(compose);
    }

    @Test
    void definesTheWholeStack() {
        assertThat(services)
                .containsOnlyKeys(
                        "preflight",
                        "kafka",
                        "kafka-init",
                        "schema-registry",
                        "postgres",
                        "keycloak",
                        "clickhouse",
                        "clickhouse-schema",
                        "clickhouse-reconciler",
                        "crud-api",
                        "ecommerce-api",
                        "kafka-ui",
                        "grafana",
                        "prometheus",
                        "alertmanager",
                        "kafka-exporter",
                        "simulator");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void everyServiceHasAHealthcheck(String file) throws IOException {
        ComposeFile.servicesOf(ComposeFile.load(file)).forEach((name, service) -> {
            assertThat(service).as(name).containsKey("healthcheck");
            @SuppressWarnings("unchecked")
            Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
            assertThat(healthcheck.get("test")).as(name + " healthcheck test").isInstanceOf(List.class);
            assertThat(((List<?>) healthcheck.get("test")).getFirst()).as(name).isIn("CMD", "CMD-SHELL");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    @SuppressWarnings("unchecked")
    void dependenciesWaitForHealthOrForTheOneShotToFinish(String file) throws IOException {
        Map<String, Map<String, Object>> services = ComposeFile.servicesOf(ComposeFile.load(file));
        services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertThat(dependsOn)
                    .as(name + ": depends_on needs conditions, not a plain list")
                    .isInstanceOf(Map.class);
            ((Map<String, Map<String, Object>>) dependsOn).forEach((dependency, options) -> {
                assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
                String expected = ONE_SHOT.contains(dependency) ? "service_completed_successfully" : "service_healthy";
                assertThat(options.get("condition"))
                        .as(name + " -> " + dependency)
                        .isEqualTo(expected);
            });
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void everyBuildContextAndDockerfileExists(String file) throws IOException {
        var built = new java.util.ArrayList<String>();
        ComposeFile.servicesOf(ComposeFile.load(file)).forEach((name, service) -> {
            Object build = service.get("build");
            if (build == null) {
                return;
            }
            // Compose's short form is the context alone, with the Dockerfile named Dockerfile in it.
            String context = build instanceof Map<?, ?> map ? (String) map.get("context") : (String) build;
            String dockerfile = build instanceof Map<?, ?> map && map.get("dockerfile") != null
                    ? (String) map.get("dockerfile")
                    : "Dockerfile";
            Path contextPath = ROOT.resolve(context).normalize();
            assertThat(contextPath).as(name + " build context").isDirectory();
            assertThat(contextPath.resolve(dockerfile)).as(name + " Dockerfile").isRegularFile();
            built.add(name);
        });
        assertThat(built)
                .as("services built from this repository")
                .containsExactlyInAnyOrderElementsOf(
                        file.contains("cluster")
                                ? List.of(
                                        "clickhouse-schema",
                                        "clickhouse-reconciler",
                                        "crud-api-1",
                                        "ecommerce-api-1",
                                        "simulator")
                                : List.of(
                                        "clickhouse-schema",
                                        "clickhouse-reconciler",
                                        "crud-api",
                                        "ecommerce-api",
                                        "simulator"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    @SuppressWarnings("unchecked")
    void everyBindMountSourceExists(String file) throws IOException {
        Map<String, Object> compose = ComposeFile.load(file);
        List<String> checked = new ArrayList<>();
        ComposeFile.servicesOf(compose).forEach((name, service) -> {
            for (String volume : (List<String>) service.getOrDefault("volumes", List.of())) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source).normalize())
                            .as(name + " mounts " + source)
                            .exists();
                    checked.add(source);
                } else {
                    assertThat((Map<String, Object>) compose.get("volumes"))
                            .as(name + " uses named volume " + source)
                            .containsKey(source);
                }
            }
        });
        assertThat(checked)
                .contains(
                        "./grafana/provisioning",
                        "./grafana/dashboards",
                        "./monitoring/prometheus/prometheus.yml",
                        "./monitoring/alertmanager/alertmanager.yml");
    }

    /**
     * Every container has a memory limit (Docker's default is none: one runaway container takes the host), and they add
     * up to what README promises: the single-node stack within 7 GiB, the cluster within 15 GiB (a 16 GB host),
     * one-shot jobs and the simulator's profile aside. The JVMs' heaps fit in their limits, and ClickHouse bounds
     * itself to a share of its own.
     */
    @ParameterizedTest
    @CsvSource({"docker-compose.yml, 7168", "docker-compose.cluster.yml, 15360"})
    @SuppressWarnings("unchecked")
    void everyContainerHasAMemoryLimitAndTheyFitTheHost(String file, long budgetMiB) throws Exception {
        Map<String, Map<String, Object>> all = ComposeFile.servicesOf(ComposeFile.load(file));
        long running = 0;
        for (var service : all.entrySet()) {
            Object limit = service.getValue().get("mem_limit");
            assertThat(limit).as(file + ": " + service.getKey() + " mem_limit").isNotNull();
            boolean oneShot = "no".equals(service.getValue().get("restart"));
            boolean profiled = service.getValue().containsKey("profiles");
            if (!oneShot && !profiled) {
                running += mebibytes(limit.toString());
            }
            Map<String, Object> environment =
                    (Map<String, Object>) service.getValue().getOrDefault("environment", Map.of());
            for (String heapVariable : List.of("KAFKA_HEAP_OPTS", "SCHEMA_REGISTRY_HEAP_OPTS")) {
                if (environment.containsKey(heapVariable)) {
                    Matcher heap = Pattern.compile("-Xmx(\\d+[mMgG])")
                            .matcher(environment.get(heapVariable).toString());
                    assertThat(heap.find())
                            .as(service.getKey() + " " + heapVariable)
                            .isTrue();
                    assertThat(mebibytes(heap.group(1)))
                            .as(
                                    "%s: heap within the container's limit, with room for the rest of the JVM",
                                    service.getKey())
                            .isLessThanOrEqualTo(mebibytes(limit.toString()) * 3 / 4);
                }
            }
            if (service.getValue().get("image") != null
                    && service.getValue().get("image").toString().startsWith("clickhouse/clickhouse-server")) {
                assertThat((List<String>) service.getValue().get("volumes"))
                        .as(service.getKey())
                        .contains(
                                "./clickhouse/docker/config.d/memory.xml:/etc/clickhouse-server/config.d/memory.xml:ro");
            }
        }
        assertThat(running)
                .as(file + ": MiB of the long-running containers' limits")
                .isLessThanOrEqualTo(budgetMiB);
        Document memory = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("clickhouse/docker/config.d/memory.xml").toFile());
        assertThat(Double.parseDouble(XPathFactory.newInstance()
                        .newXPath()
                        .evaluate("/clickhouse/max_server_memory_usage_to_ram_ratio", memory)))
                .isBetween(0.5, 0.9);
    }

    /** Docker's sizes: a number with b, k, m or g (binary units). */
    private static long mebibytes(String size) {
        Matcher matcher = Pattern.compile("(?i)(\\d+)([bkmg]?)").matcher(size.strip());
        assertThat(matcher.matches()).as(size).isTrue();
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "g" -> value * 1024;
            case "m" -> value;
            case "k" -> value / 1024;
            default -> value / (1024 * 1024);
        };
    }

    @Test
    @SuppressWarnings("unchecked")
    void hostPortsAreTheDocumentedOnesAndDistinct() throws IOException {
        Set<String> containerSides = new TreeSet<>();
        List<String> hostPorts = new ArrayList<>();
        services.forEach((name, service) -> {
            for (String mapping : (List<String>) service.getOrDefault("ports", List.of())) {
                // address:host:container, the address the .env default: Docker would publish on every interface.
                assertThat(mapping).as(name).startsWith("127.0.0.1:");
                String host = mapping.substring(mapping.indexOf(':') + 1, mapping.lastIndexOf(':'));
                hostPorts.add(host);
                containerSides.add(name + ":" + mapping.substring(mapping.lastIndexOf(':') + 1));
            }
        });
        assertThat(hostPorts).doesNotHaveDuplicates();
        assertThat(hostPorts)
                .containsExactlyInAnyOrder(
                        "9092", "8081", "5432", "8123", "9000", "8001", "8002", "8080", "3000", "8180", "9090", "9093");
        assertThat(containerSides).contains("crud-api:8001", "ecommerce-api:8002", "clickhouse:8123");
        // The README's troubleshooting table lists exactly these ports.
        String readme = Files.readString(ROOT.resolve("README.md"));
        String troubleshooting = readme.substring(readme.indexOf("## Troubleshooting"));
        List<String> documented = new ArrayList<>();
        java.util.regex.Matcher row =
                java.util.regex.Pattern.compile("(?m)^\\s*\\| (\\d{4}) \\|").matcher(troubleshooting);
        while (row.find()) {
            documented.add(row.group(1));
        }
        assertThat(documented).containsExactlyInAnyOrderElementsOf(hostPorts);
    }

    @Test
    @SuppressWarnings("unchecked")
    void clickHouseHasNoPasswordlessDefaultUserAndGrafanaReadsAsTheReadOnlyUser() {
        Map<String, Object> clickhouse =
                (Map<String, Object>) services.get("clickhouse").get("environment");
        assertThat((String) clickhouse.get("CLICKHOUSE_PASSWORD")).isNotBlank();
        assertThat((String) clickhouse.get("CLICKHOUSE_USER")).isNotBlank().isNotEqualTo("default");

        Map<String, Object> grafana =
                (Map<String, Object>) services.get("grafana").get("environment");
        // Pinned to the version whose macro expansions GrafanaMacrosTests checks; the deprecated GF_INSTALL_PLUGINS
        // is not used.
        assertThat(grafana.get("GF_PLUGINS_PREINSTALL_SYNC")).isEqualTo("grafana-clickhouse-datasource@4.20.0");
        assertThat(RepositoryLayout.root().resolve("grafana/src/test/resources/grafana/plugin-4.20.0-expansions.tsv"))
                .isRegularFile();
        assertThat(grafana).doesNotContainKey("GF_INSTALL_PLUGINS");
        assertThat(grafana).containsKey("CLICKHOUSE_GRAFANA_PASSWORD");
    }

    /**
     * The server gets the users file and the Kafka client settings; the schema comes from the clickhouse-schema
     * one-shot, the runner image of clickhouse/Dockerfile (the cluster file's too), reading the module's schema folder.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSchemaRunnerAppliesTheSchemaFilesOfTheClickHouseModule() {
        List<String> volumes = (List<String>) services.get("clickhouse").get("volumes");
        assertThat(volumes)
                .contains(
                        "./clickhouse/docker/users.d/grafana.xml:/etc/clickhouse-server/users.d/grafana.xml:ro",
                        // The same Kafka client settings the embedded engine loads (EmbeddedClickHouse).
                        "./clickhouse/src/main/resources/clickhouse/config/kafka.xml"
                                + ":/etc/clickhouse-server/config.d/kafka.xml:ro")
                .noneMatch(volume -> volume.contains("docker-entrypoint-initdb.d"));
        // Every users.d file the embedded engine reads (grafana.xml's reader profile, ingestion.xml's default profile)
        // reaches the server too.
        try (var usersD = Files.list(ROOT.resolve("clickhouse/docker/users.d"))) {
            List<String> files =
                    usersD.map(file -> file.getFileName().toString()).toList();
            assertThat(files).contains("grafana.xml", "ingestion.xml");
            for (String file : files) {
                assertThat(volumes)
                        .as("users.d/%s mounted into the server", file)
                        .contains("./clickhouse/docker/users.d/" + file + ":/etc/clickhouse-server/users.d/" + file
                                + ":ro");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Map<String, Object> runner = services.get("clickhouse-schema");
        assertThat((Map<String, Object>) runner.get("build")).containsEntry("dockerfile", "clickhouse/Dockerfile");
        assertThat((List<String>) runner.get("volumes"))
                .containsExactly("./clickhouse/src/main/resources/clickhouse/schema:/schema:ro");
        assertThat((Map<String, Object>) runner.get("environment"))
                .containsEntry("CHANALYTICS_SCHEMA_DIR", "/schema")
                .containsEntry("CHANALYTICS_CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry("CH_KAFKA_BROKER_LIST", "kafka:29092")
                .containsEntry("CH_SCHEMA_REGISTRY_URL", "http://schema-registry:8081")
                .doesNotContainKey(SchemaRunner.CLUSTER);
        assertThat((Map<String, Object>) services.get("grafana").get("depends_on"))
                .as("the dashboards read tables the runner creates")
                .containsKey("clickhouse-schema");
    }

    /**
     * The reconciler runs {@code ReconcilerMain} from the clickhouse module's jar in the runner's image: Docker runs an
     * exec-form entrypoint as given, so the jar path must be where clickhouse/Dockerfile copies it (WORKDIR /app) and
     * the class must exist with a main; it talks to the server as the admin user the runner uses, after the schema is
     * in place. In the cluster file it coordinates through the node the runner uses, with the runner's cluster name.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theReconcilerRunsReconcilerMainInTheRunnersImage() throws Exception {
        Map<String, Object> reconciler = services.get("clickhouse-reconciler");
        assertThat((List<String>) reconciler.get("entrypoint"))
                .containsExactly("java", "-cp", "/app/clickhouse.jar", ReconcilerMain.class.getName());
        assertThat(java.lang.reflect.Modifier.isStatic(
                        ReconcilerMain.class.getMethod("main", String[].class).getModifiers()))
                .isTrue();
        assertThat(Files.readString(ROOT.resolve("clickhouse/Dockerfile")))
                .contains("WORKDIR /app")
                .contains("/tmp/clickhouse.jar clickhouse.jar");
        assertThat((Map<String, Object>) reconciler.get("build")).containsEntry("dockerfile", "clickhouse/Dockerfile");
        Map<String, Object> environment = (Map<String, Object>) reconciler.get("environment");
        assertThat(environment)
                .containsEntry("CHANALYTICS_CLICKHOUSE_URL", "http://clickhouse:8123")
                .containsEntry(
                        "CLICKHOUSE_USER",
                        ((Map<String, Object>) services.get("clickhouse-schema").get("environment"))
                                .get("CLICKHOUSE_USER"))
                .doesNotContainKey(SchemaRunner.CLUSTER);
        assertThat((Map<String, Object>) reconciler.get("depends_on"))
                .containsEntry("clickhouse-schema", Map.of("condition", "service_completed_successfully"));
        assertThat(reconciler).containsEntry("restart", "unless-stopped");
        Map<String, Map<String, Object>> cluster =
                ComposeFile.servicesOf(ComposeFile.load("docker-compose.cluster.yml"));
        Map<String, Object> clusterReconciler = cluster.get("clickhouse-reconciler");
        Map<String, Object> clusterRunner =
                (Map<String, Object>) cluster.get("clickhouse-schema").get("environment");
        assertThat(clusterReconciler.get("entrypoint")).isEqualTo(reconciler.get("entrypoint"));
        assertThat((Map<String, Object>) clusterReconciler.get("environment"))
                .containsEntry("CHANALYTICS_CLICKHOUSE_URL", clusterRunner.get("CHANALYTICS_CLICKHOUSE_URL"))
                .containsEntry(SchemaRunner.CLUSTER, clusterRunner.get(SchemaRunner.CLUSTER));
        assertThat((Map<String, Object>) clusterReconciler.get("depends_on"))
                .containsEntry("clickhouse-schema", Map.of("condition", "service_completed_successfully"));
    }

    /**
     * The server creates its message broker pool with {@code background_message_broker_schedule_pool_size} from
     * config.d (the mounted kafka.xml), and each consumer of a table with kafka_thread_per_consumer holds one of its
     * threads while it streams: the request consumers (one per partition, as kafka-init creates them) and the other two
     * tables' consumers must all fit, or a stream never runs (seen with chDB's 2-thread pool).
     */
    @Test
    @SuppressWarnings("unchecked")
    void everyKafkaConsumerOfTheServerHasAPoolThread() throws Exception {
        Object partitions = ((Map<String, Object>) services.get("kafka-init").get("environment")).get("PARTITIONS");
        Map<String, Object> environment =
                (Map<String, Object>) services.get("clickhouse-schema").get("environment");
        assertThat(environment).containsEntry("CH_KAFKA_NUM_CONSUMERS", partitions);
        assertThat(String.join("\n", (List<String>) services.get("kafka-init").get("command")))
                .contains("--partitions \"${PARTITIONS}\"");

        var config = javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("clickhouse/src/main/resources/clickhouse/config/kafka.xml")
                        .toFile());
        int pool = Integer.parseInt(javax.xml.xpath.XPathFactory.newInstance()
                .newXPath()
                .evaluate("/clickhouse/background_message_broker_schedule_pool_size", config)
                .strip());
        assertThat(pool)
                .as("threads for 3 request consumers and the 2 other tables'")
                .isGreaterThan(3 + 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void topicsArePreCreatedForEveryStream() {
        Map<String, Object> init = services.get("kafka-init");
        String script = String.join("\n", (List<String>) init.get("command"));
        assertThat(script).contains("--create", "--if-not-exists");
        for (String topic : StackSettings.TOPICS) {
            assertThat(script).contains(topic);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void bothServicesAreBuiltFromTheSharedDockerfileWithTheirOwnModuleAndPort() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("apis/Dockerfile"));
        assertThat(dockerfile).contains("ARG SERVICE", "ARG PORT", "-pl \"apis/${SERVICE}\"");
        Map<String, Object> initEnvironment =
                (Map<String, Object>) services.get("kafka-init").get("environment");
        for (String name : List.of("crud-api", "ecommerce-api")) {
            Map<String, Object> service = services.get(name);
            Map<String, Object> build = (Map<String, Object>) service.get("build");
            Map<String, Object> args = (Map<String, Object>) build.get("args");
            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(build.get("dockerfile")).as(name).isEqualTo("apis/Dockerfile");
            assertThat(args.get("SERVICE")).as(name + " SERVICE").isEqualTo(name);
            assertThat(ROOT.resolve("apis/" + name + "/pom.xml"))
                    .as(name + " module")
                    .isRegularFile();
            assertThat(String.valueOf(args.get("PORT")))
                    .as(name + " PORT = SERVER_PORT")
                    .isEqualTo(String.valueOf(environment.get("SERVER_PORT")));
            // A service declares the topics too: with another partition count Kafka's admin would grow them.
            assertThat(environment.get("KAFKA_PARTITIONS")).as(name).isEqualTo(initEnvironment.get("PARTITIONS"));
        }
    }

    /**
     * What .env sets for the embedded stack alone (its section "Embedded stack only", the monitoring switch; compose
     * keeps Keycloak's management port inside the network).
     */
    private static final Set<String> EMBEDDED_ONLY =
            Set.of("KAFKA_CONTROLLER_PORT", "ALERT_WEBHOOK_PORT", "MONITORING", "KEYCLOAK_MANAGEMENT_PORT");

    /**
     * One defaults file: compose reads .env by itself, so every variable a compose file refers to must be set there,
     * and no file carries a default of its own (a second copy that could drift). Every variable .env sets is read by a
     * compose file or by the embedded stack.
     */
    @Test
    void everyComposeVariableIsSetInDotEnvAndNowhereElse() throws IOException {
        Map<String, String> dotEnv = StackEnvironment.defaults(ROOT).all();
        Set<String> referenced = new TreeSet<>();
        for (String file : List.of("docker-compose.yml", "docker-compose.cluster.yml", "docker-compose.shared.yml")) {
            assertThat(ComposeFile.variablesOf(file)).as(file).isSubsetOf(dotEnv.keySet());
            assertThat(Files.readString(ROOT.resolve(file)))
                    .as(file + " sets no default of its own")
                    .doesNotContainPattern("\\$\\{\\w+:?-");
            referenced.addAll(ComposeFile.variablesOf(file));
        }
        assertThat(dotEnv.keySet())
                .as("read by a compose file, or by the embedded stack alone")
                .allMatch(name -> referenced.contains(name) || EMBEDDED_ONLY.contains(name))
                .contains(
                        "KAFKA_IMAGE",
                        "CLICKHOUSE_IMAGE",
                        "GRAFANA_CLICKHOUSE_PLUGIN_VERSION",
                        "CLUSTER_KAFKA_PARTITIONS");
    }

    /** A variable .env lacks fails the reading, where Compose would run the stack with an empty value. */
    @Test
    void aVariableDotEnvDoesNotSetIsAnError() {
        Map<String, String> withoutPort =
                new java.util.HashMap<>(StackEnvironment.defaults(ROOT).all());
        withoutPort.remove("GRAFANA_PORT");
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> ComposeFile.load("docker-compose.yml", withoutPort::get))
                .withMessageContaining("GRAFANA_PORT");
    }

    /**
     * Docker: an ARG declared before the first FROM is outside every stage; a stage sees it only if it declares it
     * again. The shared service Dockerfile uses SERVICE in the build stage and PORT in the runtime stage.
     */
    @Test
    void theServiceDockerfileRedeclaresItsArgumentsInTheStagesThatUseThem() throws IOException {
        String[] stages = Files.readString(ROOT.resolve("apis/Dockerfile")).split("(?m)^FROM ");
        assertThat(stages).hasSize(3);
        assertThat(stages[0]).contains("ARG SERVICE=crud-api", "ARG PORT=8001");
        for (int i = 1; i < stages.length; i++) {
            for (String argument : List.of("SERVICE", "PORT")) {
                if (stages[i].contains("${" + argument + "}")) {
                    assertThat(stages[i])
                            .as("stage " + i + " uses ${" + argument + "}")
                            .contains("ARG " + argument + "\n");
                }
            }
        }
        assertThat(stages[1]).contains("${SERVICE}");
        assertThat(stages[2]).contains("${PORT}");
    }

    /** Every image at a full version; Kafka and ClickHouse at the releases the embedded stack runs. */
    @Test
    void imagesArePinnedToFullVersionsMatchingTheEmbeddedParts() throws IOException {
        Map<String, String> images = new java.util.TreeMap<>();
        services.forEach((name, service) -> {
            // Pulled images only: a service with a build section tags what it builds (chanalytics/...:local).
            if (service.get("image") instanceof String image && !service.containsKey("build")) {
                images.put(name, image);
            }
        });
        assertThat(images)
                .isNotEmpty()
                .allSatisfy((name, image) ->
                        assertThat(image).as(name).matches("[\\w./-]+:v?\\d+\\.\\d+(\\.\\d+)*(-[\\w.]+)?"));
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String kafka = pom.replaceAll("(?s).*<kafka-broker.version>([^<]+)</kafka-broker.version>.*", "$1");
        assertThat(images.get("kafka")).isEqualTo("apache/kafka:" + kafka);
        // The same ClickHouse release (year.month) as the embedded engine fetch-chdb.sh installs.
        String chdb = Files.readString(ROOT.resolve("scripts/fetch-chdb.sh"))
                .replaceAll("(?s).*CHDB_VERSION=\"(\\d+\\.\\d+)\\.[^\"]*\".*", "$1");
        assertThat(images.get("clickhouse")).startsWith("clickhouse/clickhouse-server:" + chdb + ".");
        assertThat(images.get("kafka-ui")).startsWith("kafbat/kafka-ui:v1.");
    }

    /** kafbat 1.x shows Avro values decoded only with the registry serde set explicitly (kafbat/kafka-ui#1833). */
    @Test
    @SuppressWarnings("unchecked")
    void kafkaUiDecodesValuesThroughTheSchemaRegistry() {
        Map<String, Object> environment =
                (Map<String, Object>) services.get("kafka-ui").get("environment");
        assertThat(environment)
                .containsEntry("KAFKA_CLUSTERS_0_SCHEMAREGISTRY", "http://schema-registry:8081")
                .containsEntry("KAFKA_CLUSTERS_0_DEFAULTVALUESERDE", "SchemaRegistry")
                .containsEntry("KAFKA_CLUSTERS_0_DEFAULTKEYSERDE", "String");
    }

    /**
     * The image's init-time server listens on loopback only: a healthcheck by host name passes only once the real
     * server answers on the name the schema runner uses.
     */
    @Test
    @SuppressWarnings("unchecked")
    void clickHouseIsHealthyOnlyWhenTheRealServerAnswers() {
        List<String> test =
                (List<String>) ((Map<String, Object>) services.get("clickhouse").get("healthcheck")).get("test");
        assertThat(String.join(" ", test)).contains("--host \"$(hostname)\"", "--query 'SELECT 1'");
        assertThat((Map<String, Object>) services.get("clickhouse-schema").get("environment"))
                .containsEntry("CHANALYTICS_CLICKHOUSE_URL", "http://clickhouse:8123");
    }

    /** Where Docker exists (GitHub Actions), the compose path runs end to end: up, verifier, simulator, down. */
    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowRunsTheComposeStackThroughTheVerifier() throws IOException {
        Map<String, Object> workflow;
        try (InputStream in = Files.newInputStream(ROOT.resolve(".github/workflows/compose-stack.yml"))) {
            workflow = new Yaml().load(in);
        }
        List<Map<String, Object>> steps =
                (List<Map<String, Object>>) ((Map<String, Map<String, Object>>) workflow.get("jobs"))
                        .get("compose")
                        .get("steps");
        List<String> commands = steps.stream()
                .map(step -> String.valueOf(step.getOrDefault("run", "")))
                .toList();
        assertThat(String.join("\n", commands))
                .contains(
                        "docker compose up",
                        "--wait",
                        "scripts/verify-stack.sh",
                        "--profile simulator",
                        "down --volumes");
        for (String command : commands) {
            for (String script : command.split("\\s+")) {
                if (script.startsWith("scripts/")) {
                    assertThat(ROOT.resolve(script)).as(script).isExecutable();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void simulatorIsBehindAProfile() {
        assertThat((List<String>) services.get("simulator").get("profiles")).containsExactly("simulator");
        // Editing config.yaml takes effect (mounted), and the overrides apply only when set (empty otherwise).
        assertThat((List<String>) services.get("simulator").get("volumes"))
                .contains("./simulator-gatling/config.yaml:/app/config.yaml:ro");
        Map<String, Object> environment =
                (Map<String, Object>) services.get("simulator").get("environment");
        assertThat(environment)
                .containsEntry("SIMULATOR_REQUESTS_PER_SECOND", "")
                .containsEntry("SIMULATOR_DURATION_MINUTES", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml", "docker-compose.shared.yml"})
    void dockerComposeAcceptsTheFile(String file) throws Exception {
        assumeTrue(
                onPath("docker-compose"),
                "docker-compose is not on PATH: install Debian's docker-compose (1.29) to run this check "
                        + "(.ci/run does); the YAML checks above still ran");
        for (List<String> arguments : List.of(
                List.of("docker-compose", "-f", file, "config", "-q"),
                List.of("docker-compose", "-f", file, "--profile", "simulator", "config", "-q"))) {
            Process process = new ProcessBuilder(arguments)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
            boolean finished = process.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(finished).as("docker-compose config finished").isTrue();
            assertThat(process.exitValue())
                    .as(String.join(" ", arguments) + "\n" + output)
                    .isZero();
        }
    }

    static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, command))) {
                return true;
            }
        }
        return false;
    }
}
