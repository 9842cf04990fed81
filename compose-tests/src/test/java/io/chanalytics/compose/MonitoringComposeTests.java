package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.compose.ComposeFile.Mount;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackEnvironment;
import io.chanalytics.stack.monitoring.PrometheusTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * Prometheus, Alertmanager and the consumer-lag exporter in both compose files, and what Prometheus would find there:
 * each stack mounts the targets of its own mode (monitoring/prometheus/targets/single or cluster), every target is a
 * service of that stack listening on that port, every API instance and ClickHouse server is scraped, and Prometheus's
 * own checker ({@code promtool}, Debian's prometheus package, which .ci/run installs) accepts the configuration laid out
 * as the container sees it, with no warning (a missing targets file is only a warning to it, and an empty job).
 */
class MonitoringComposeTests {

    private static final Path ROOT = RepositoryLayout.root();
    private static final Map<String, String> DOT_ENV =
            StackEnvironment.defaults(ROOT).all();
    private static final String CONFIG_DIRECTORY = "/etc/prometheus/";
    private static final String CONFIG_FILE = CONFIG_DIRECTORY + "prometheus.yml";
    private static final String CLICKHOUSE_PROMETHEUS_XML = "./clickhouse/docker/config.d/prometheus.xml";
    private static final Pattern LISTEN_ADDRESS = Pattern.compile("--web\\.listen-address=:(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void prometheusAlertmanagerAndTheExporterArePinnedAndPublishedOnTheBindAddressOnly(String file) {
        Map<String, Map<String, Object>> services = services(file);
        Map<String, String> images = Map.of(
                "prometheus", "PROMETHEUS_IMAGE",
                "alertmanager", "ALERTMANAGER_IMAGE",
                "kafka-exporter", "KAFKA_EXPORTER_IMAGE");
        images.forEach((name, variable) -> {
            assertThat(services).as(file).containsKey(name);
            assertThat(services.get(name).get("image"))
                    .as(file + ": " + name)
                    .isEqualTo(DOT_ENV.get(variable))
                    .asString()
                    .matches("[\\w./-]+:v\\d+\\.\\d+\\.\\d+");
        });
        String bind = DOT_ENV.get("BIND_ADDRESS");
        assertThat(ports(services.get("prometheus")))
                .containsExactly(bind + ":" + DOT_ENV.get("PROMETHEUS_PORT") + ":9090");
        assertThat(ports(services.get("alertmanager")))
                .containsExactly(bind + ":" + DOT_ENV.get("ALERTMANAGER_PORT") + ":9093");
        assertThat(services.get("kafka-exporter"))
                .as("the exporter is for Prometheus on the network only")
                .doesNotContainKey("ports");
    }

    /**
     * What each container is told to read is what is mounted there: the configuration read-only from the repository,
     * the data (TSDB; silences and notification log) on a named volume of the stack.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    @SuppressWarnings("unchecked")
    void prometheusAndAlertmanagerReadTheRepositorysFilesAndKeepTheirDataOnVolumes(String file) {
        Map<String, Object> compose = ComposeFile.load(file);
        Map<String, Map<String, Object>> services = ComposeFile.servicesOf(compose);
        Map<String, Object> volumes = (Map<String, Object>) compose.get("volumes");

        Map<String, Object> prometheus = services.get("prometheus");
        assertThat(command(prometheus)).contains("--config.file=" + CONFIG_FILE, "--storage.tsdb.path=/prometheus");
        assertThat(ComposeFile.mountsOf(prometheus))
                .contains(
                        new Mount("./monitoring/prometheus/prometheus.yml", CONFIG_FILE, true),
                        new Mount("./monitoring/prometheus/rules", CONFIG_DIRECTORY + "rules", true),
                        new Mount("prometheus-data", "/prometheus", false));
        Map<String, Object> alertmanager = services.get("alertmanager");
        assertThat(command(alertmanager))
                .contains("--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager");
        assertThat(ComposeFile.mountsOf(alertmanager))
                .contains(
                        new Mount(
                                "./monitoring/alertmanager/alertmanager.yml",
                                "/etc/alertmanager/alertmanager.yml",
                                true),
                        new Mount("alertmanager-data", "/alertmanager", false));
        for (Map<String, Object> service : List.of(prometheus, alertmanager)) {
            for (Mount mount : ComposeFile.mountsOf(service)) {
                if (mount.bindMount()) {
                    assertThat(ROOT.resolve(mount.source())).as(mount.source()).exists();
                    assertThat(mount.readOnly()).as(mount.source()).isTrue();
                } else {
                    assertThat(volumes).as(file + " declares " + mount.source()).containsKey(mount.source());
                }
            }
        }
        assertThat(dependencies(prometheus)).containsKey("alertmanager");
    }

    @ParameterizedTest
    @CsvSource({"docker-compose.yml, single", "docker-compose.cluster.yml, cluster"})
    void prometheusReadsTheTargetsOfItsOwnStack(String file, String mode) {
        assertThat(targetsDirectory(services(file)))
                .isEqualTo(ROOT.resolve("monitoring/prometheus/targets").resolve(mode));
    }

    /**
     * Every address of every job's targets file is a service of the stack (localhost: Prometheus itself) listening on
     * that port: a port the compose file publishes or a service is told to listen on (SERVER_PORT,
     * KC_HTTP_MANAGEMENT_PORT, a mounted ClickHouse config.d file's prometheus port, --web.listen-address). And each
     * job scrapes every container of its kind, so the cluster cannot leave a node or an API instance unwatched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void everyTargetIsAServiceOfTheStackListeningOnThatPortAndNoneIsLeftOut(String file) throws Exception {
        Map<String, Map<String, Object>> services = services(file);
        Path targets = targetsDirectory(services);
        Map<String, Predicate<Map<String, Object>>> scraped = Map.of(
                "crud-api", image("chanalytics/crud-api:local"),
                "ecommerce-api", image("chanalytics/ecommerce-api:local"),
                "clickhouse",
                        service -> String.valueOf(service.get("image")).startsWith("clickhouse/clickhouse-server:"),
                "kafka-consumer-lag", image(DOT_ENV.get("KAFKA_EXPORTER_IMAGE")),
                "keycloak", image(DOT_ENV.get("KEYCLOAK_IMAGE")),
                "alertmanager", image(DOT_ENV.get("ALERTMANAGER_IMAGE")),
                "prometheus", image(DOT_ENV.get("PROMETHEUS_IMAGE")));

        Map<String, List<String>> jobs = targetsByJob(targets);
        assertThat(jobs.keySet()).as("the jobs of prometheus.yml").isEqualTo(scraped.keySet());
        jobs.forEach((job, addresses) -> {
            Set<String> hosts = new TreeSet<>();
            for (String address : addresses) {
                String host = address.substring(0, address.lastIndexOf(':'));
                String service = host.equals("localhost") ? "prometheus" : host;
                String port = address.substring(address.lastIndexOf(':') + 1);
                assertThat(services)
                        .as(file + ": job " + job + " scrapes " + address)
                        .containsKey(service);
                assertThat(listeningPorts(services.get(service)))
                        .as(file + ": %s listens on %s", service, port)
                        .contains(port);
                hosts.add(service);
            }
            Set<String> ofThatKind = new TreeSet<>();
            services.forEach((name, service) -> {
                if (scraped.get(job).test(service)) {
                    ofThatKind.add(name);
                }
            });
            assertThat(hosts).as(file + ": the targets of job " + job).isEqualTo(ofThatKind);
        });
    }

    /** The endpoint the clickhouse job scrapes is the server's handler, on a port of the network only. */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    @SuppressWarnings("unchecked")
    void everyClickHouseServerServesItsMetricsOnAnUnpublishedPort(String file) throws Exception {
        Document handler = xml(ROOT.resolve(CLICKHOUSE_PROMETHEUS_XML));
        var xpath = XPathFactory.newInstance().newXPath();
        for (String part : List.of("metrics", "events", "asynchronous_metrics", "errors")) {
            assertThat(xpath.evaluate("/clickhouse/prometheus/" + part, handler).strip())
                    .as(part)
                    .isEqualTo("true");
        }
        String port = xpath.evaluate("/clickhouse/prometheus/port", handler).strip();
        Map<String, Object> clickhouseJob = ((List<Map<String, Object>>)
                        yaml(ROOT.resolve("monitoring/prometheus/prometheus.yml"))
                                .get("scrape_configs"))
                .stream()
                        .filter(job -> job.get("job_name").equals("clickhouse"))
                        .findFirst()
                        .orElseThrow();
        assertThat(xpath.evaluate("/clickhouse/prometheus/endpoint", handler).strip())
                .as("the path the clickhouse job scrapes")
                .isEqualTo(clickhouseJob.getOrDefault("metrics_path", "/metrics"));

        List<String> servers = new ArrayList<>();
        services(file).forEach((name, service) -> {
            if (String.valueOf(service.get("image")).startsWith("clickhouse/clickhouse-server:")) {
                assertThat(ComposeFile.mountsOf(service))
                        .as(name)
                        .contains(new Mount(
                                CLICKHOUSE_PROMETHEUS_XML, "/etc/clickhouse-server/config.d/prometheus.xml", true));
                assertThat(ports(service)).as(name).noneMatch(mapping -> mapping.endsWith(":" + port));
                servers.add(name);
            }
        });
        assertThat(servers).hasSize(file.contains("cluster") ? 4 : 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    @SuppressWarnings("unchecked")
    void theExporterAsksTheBrokersOfItsStackOnceTheyAreHealthy(String file) {
        Map<String, Map<String, Object>> services = services(file);
        Map<String, Object> exporter = services.get("kafka-exporter");
        Map<String, Object> environment = (Map<String, Object>) exporter.get("environment");
        assertThat(environment.get("BOOTSTRAP_SERVERS"))
                .as("the brokers kafka-init creates the topics on")
                .isEqualTo(
                        ((Map<String, Object>) services.get("kafka-init").get("environment")).get("BOOTSTRAP_SERVERS"));
        assertThat(String.join("\n", command(exporter)))
                .contains("${BOOTSTRAP_SERVERS}", "--kafka.server=$server", "exec /bin/kafka_exporter")
                .containsPattern(LISTEN_ADDRESS);
        Set<String> brokers = new TreeSet<>();
        services.forEach((name, service) -> {
            if (DOT_ENV.get("KAFKA_IMAGE").equals(service.get("image")) && !"no".equals(service.get("restart"))) {
                brokers.add(name);
            }
        });
        assertThat(dependencies(exporter).keySet()).isEqualTo(brokers).hasSize(file.contains("cluster") ? 3 : 1);
    }

    /**
     * {@code promtool check config} on the files the Prometheus container sees, laid out by the compose file's own
     * mounts: the configuration, the rules and the mode's targets. It reads every file_sd file; a missing one is a
     * warning only (and an empty job in the running Prometheus), so a warning fails here too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void prometheusAcceptsItsConfigurationAsTheContainerSeesIt(String file, @TempDir Path container) throws Exception {
        Path config = layOut(services(file).get("prometheus"), container);
        PrometheusTools.Result check = promtool("check", "config", config.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS").doesNotContain("WARNING");
    }

    /** What the check above is worth: it sees a targets file missing (a warning) and a malformed one (an error). */
    @Test
    void promtoolWarnsOfAMissingTargetsFileAndFailsOnAMalformedOne(@TempDir Path container) throws Exception {
        Path config = layOut(services("docker-compose.yml").get("prometheus"), container);
        Path lag = container.resolve("targets/kafka-consumer-lag.json");
        Files.delete(lag);
        PrometheusTools.Result missing = promtool("check", "config", config.toString());
        assertThat(missing.output()).contains("WARNING").contains("kafka-consumer-lag.json");

        Files.writeString(lag, "[{\"targets\": [\"kafka-exporter:9308\"]");
        PrometheusTools.Result malformed = promtool("check", "config", config.toString());
        assertThat(malformed.exitCode()).as(malformed.output()).isNotZero();
    }

    /** Copies what the service mounts under /etc/prometheus/ to {@code container}; returns its configuration file. */
    private static Path layOut(Map<String, Object> prometheus, Path container) throws IOException {
        assertThat(command(prometheus)).contains("--config.file=" + CONFIG_FILE);
        for (Mount mount : ComposeFile.mountsOf(prometheus)) {
            if (!mount.bindMount() || !mount.target().startsWith(CONFIG_DIRECTORY)) {
                continue;
            }
            Path source = ROOT.resolve(mount.source()).normalize();
            Path target = container.resolve(mount.target().substring(CONFIG_DIRECTORY.length()));
            try (Stream<Path> files = Files.walk(source)) {
                for (Path each : files.toList()) {
                    Path copy = target.resolve(source.relativize(each).toString());
                    if (Files.isDirectory(each)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.createDirectories(copy.getParent());
                        Files.copy(each, copy);
                    }
                }
            }
        }
        Path config = container.resolve(CONFIG_FILE.substring(CONFIG_DIRECTORY.length()));
        assertThat(config).as("the mounted " + CONFIG_FILE).isRegularFile();
        return config;
    }

    /** The targets of each job of prometheus.yml, read from its file_sd files in the mounted targets directory. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> targetsByJob(Path targets) {
        Map<String, List<String>> jobs = new TreeMap<>();
        Map<String, Object> config = yaml(ROOT.resolve("monitoring/prometheus/prometheus.yml"));
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            List<String> addresses = new ArrayList<>();
            for (Map<String, Object> discovery : (List<Map<String, Object>>) job.get("file_sd_configs")) {
                for (String name : (List<String>) discovery.get("files")) {
                    assertThat(name)
                            .as(job.get("job_name") + " reads the mounted targets")
                            .startsWith("targets/");
                    Path file = targets.resolve(name.substring("targets/".length()));
                    assertThat(file)
                            .as("targets of job %s", job.get("job_name"))
                            .isRegularFile();
                    for (Map<String, Object> group : targetGroups(file)) {
                        addresses.addAll((List<String>) group.get("targets"));
                    }
                }
            }
            assertThat(addresses).as("targets of job %s", job.get("job_name")).isNotEmpty();
            jobs.put((String) job.get("job_name"), addresses);
        }
        return jobs;
    }

    /** The host directory a stack mounts at Prometheus's targets/, the only one it reads targets from. */
    private static Path targetsDirectory(Map<String, Map<String, Object>> services) {
        List<Mount> targets = ComposeFile.mountsOf(services.get("prometheus")).stream()
                .filter(mount -> mount.target().equals(CONFIG_DIRECTORY + "targets"))
                .toList();
        assertThat(targets).hasSize(1);
        assertThat(targets.getFirst().readOnly()).isTrue();
        return ROOT.resolve(targets.getFirst().source()).normalize();
    }

    /** The ports a service listens on, as far as its compose definition says. */
    @SuppressWarnings("unchecked")
    private static Set<String> listeningPorts(Map<String, Object> service) {
        Set<String> ports = new TreeSet<>();
        for (String mapping : ports(service)) {
            ports.add(mapping.substring(mapping.lastIndexOf(':') + 1));
        }
        Map<String, Object> environment = (Map<String, Object>) service.getOrDefault("environment", Map.of());
        // A Spring Boot service's port, and Keycloak's management interface (health, metrics).
        for (String variable : List.of("SERVER_PORT", "KC_HTTP_MANAGEMENT_PORT")) {
            if (environment.get(variable) != null) {
                ports.add(String.valueOf(environment.get(variable)));
            }
        }
        Matcher listen = LISTEN_ADDRESS.matcher(String.join("\n", command(service)));
        while (listen.find()) {
            ports.add(listen.group(1));
        }
        for (Mount mount : ComposeFile.mountsOf(service)) {
            if (mount.bindMount() && mount.target().startsWith("/etc/clickhouse-server/config.d/")) {
                try {
                    String port = XPathFactory.newInstance()
                            .newXPath()
                            .evaluate("/clickhouse/prometheus/port", xml(ROOT.resolve(mount.source())))
                            .strip();
                    if (!port.isEmpty()) {
                        ports.add(port);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot read " + mount.source(), e);
                }
            }
        }
        return ports;
    }

    private static Predicate<Map<String, Object>> image(String image) {
        return service -> image.equals(service.get("image"));
    }

    private static Map<String, Map<String, Object>> services(String file) {
        return ComposeFile.servicesOf(ComposeFile.load(file));
    }

    @SuppressWarnings("unchecked")
    private static List<String> ports(Map<String, Object> service) {
        return (List<String>) service.getOrDefault("ports", List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(Map<String, Object> service) {
        Object command = service.getOrDefault("command", List.of());
        return command instanceof String text ? List.of(text) : (List<String>) command;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependencies(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("depends_on", Map.of());
    }

    private static PrometheusTools.Result promtool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        return PrometheusTools.run(command.toArray(String[]::new));
    }

    private static Map<String, Object> yaml(Path file) {
        return read(file);
    }

    /** A file_sd file: a list of target groups (JSON, which YAML reads too). */
    private static List<Map<String, Object>> targetGroups(Path file) {
        return read(file);
    }

    private static <T> T read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }
}
