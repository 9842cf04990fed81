package io.chanalytics.stack.monitoring;

import io.chanalytics.stack.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stack's monitoring: the consumer-lag endpoint and the alert receiver always, and Prometheus and
 * Alertmanager when their programs are on {@code PATH}, with the repository's files (monitoring/): prometheus.yml and
 * the rules copied as they are, this stack's targets written next to them (the file_sd files compose mounts from
 * monitoring/prometheus/targets), alertmanager.yml with its webhook pointed at this stack's receiver.
 */
public final class Monitoring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Monitoring.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** The receiver alertmanager.yml names, which the embedded stack's own receiver stands in for. */
    static final String WEBHOOK_IN_FILE = "http://127.0.0.1:9099/alerts";

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private AlertWebhook webhook;
    private ConsumerLagExporter consumerLag;
    private URI prometheus;
    private URI alertmanager;

    private Monitoring() {}

    /**
     * What to scrape besides the monitoring itself: job name (as in prometheus.yml) to {@code host:port} targets.
     *
     * @param recorder told of each process started, so that a stack that dies leaves none behind (StackParts)
     */
    public static Monitoring start(
            MonitoringSettings settings,
            Path repositoryRoot,
            Path dataDirectory,
            Path logDirectory,
            String bootstrapServers,
            Map<String, List<String>> targets,
            BiConsumer<String, ProcessHandle> recorder) {
        var monitoring = new Monitoring();
        try {
            monitoring.startAll(
                    settings, repositoryRoot, dataDirectory, logDirectory, bootstrapServers, targets, recorder);
            return monitoring;
        } catch (RuntimeException | Error e) {
            monitoring.close();
            throw e;
        }
    }

    private void startAll(
            MonitoringSettings settings,
            Path repositoryRoot,
            Path dataDirectory,
            Path logDirectory,
            String bootstrapServers,
            Map<String, List<String>> targets,
            BiConsumer<String, ProcessHandle> recorder) {
        consumerLag = keep(ConsumerLagExporter.start(settings.consumerLagPort(), bootstrapServers));
        endpoints.put("Consumer lag", consumerLag.metricsUri() + "  (kafka_consumergroup_lag, as compose's exporter)");
        webhook = keep(AlertWebhook.start(settings.alertWebhookPort()));

        Optional<Path> prometheusBinary = MonitoringBinaries.find("prometheus");
        Optional<Path> alertmanagerBinary = MonitoringBinaries.find("alertmanager");
        if (!settings.enabled()) {
            endpoints.put("Prometheus", "off (MONITORING=false)");
            return;
        }
        if (prometheusBinary.isEmpty() || alertmanagerBinary.isEmpty()) {
            String missing = Stream.of(
                            prometheusBinary.isEmpty() ? "prometheus" : null,
                            alertmanagerBinary.isEmpty() ? "alertmanager" : null)
                    .filter(name -> name != null)
                    .collect(Collectors.joining(" and "));
            log.warn(
                    "Prometheus and Alertmanager not started: {} not on PATH (Debian/Ubuntu: apt install prometheus"
                            + " prometheus-alertmanager; macOS: brew install prometheus alertmanager)",
                    missing);
            endpoints.put("Prometheus", "not started: " + missing + " not on PATH (docs/operations.md)");
            return;
        }
        Path home = dataDirectory.resolve("monitoring");
        var layout = MonitoringLayout.write(repositoryRoot.resolve("monitoring"), home, webhook.uri());
        Map<String, List<String>> allTargets = new LinkedHashMap<>(targets);
        allTargets.put("kafka-consumer-lag", List.of("127.0.0.1:" + consumerLag.port()));
        allTargets.put("alertmanager", List.of("127.0.0.1:" + settings.alertmanagerPort()));
        allTargets.put("prometheus", List.of("127.0.0.1:" + settings.prometheusPort()));
        layout.writeTargets(allTargets);

        alertmanager = URI.create("http://127.0.0.1:" + settings.alertmanagerPort() + "/");
        ChildProcess alertmanagerProcess = keep(start(
                "alertmanager",
                List.of(
                        alertmanagerBinary.get().toString(),
                        "--config.file=" + layout.alertmanagerConfig(),
                        "--storage.path=" + home.resolve("alertmanager-data"),
                        "--web.listen-address=127.0.0.1:" + settings.alertmanagerPort(),
                        // One Alertmanager: no gossip port to open.
                        "--cluster.listen-address="),
                logDirectory.resolve("alertmanager.log")));
        recorder.accept("alertmanager", alertmanagerProcess.toHandle());

        prometheus = URI.create("http://127.0.0.1:" + settings.prometheusPort() + "/");
        ChildProcess prometheusProcess = keep(start(
                "prometheus",
                List.of(
                        prometheusBinary.get().toString(),
                        "--config.file=" + layout.prometheusConfig(),
                        "--storage.tsdb.path=" + home.resolve("prometheus-data"),
                        "--storage.tsdb.retention.time=7d",
                        "--web.listen-address=127.0.0.1:" + settings.prometheusPort()),
                logDirectory.resolve("prometheus.log")));
        recorder.accept("prometheus", prometheusProcess.toHandle());

        alertmanagerProcess.awaitReady(alertmanager.resolve("-/ready"), READY_TIMEOUT);
        prometheusProcess.awaitReady(prometheus.resolve("-/ready"), READY_TIMEOUT);
        endpoints.put(
                "Prometheus",
                prometheus + "  (alerts: " + prometheus + "alerts, log " + prometheusProcess.logFile() + ")");
        endpoints.put("Alertmanager", alertmanager + "  (its notifications go to the stack's log, marked ALERT)");
    }

    /** Under a shell that ends the program with the stack, which it cannot watch itself (see ChildProcess). */
    private static ChildProcess start(String name, List<String> program, Path logFile) {
        return ChildProcess.start(
                name, ChildProcess.endingWithThisProcess(name, program), Map.of(), logFile, STOP_TIMEOUT);
    }

    /** Prometheus's address, when it runs. */
    public Optional<URI> prometheus() {
        return Optional.ofNullable(prometheus);
    }

    public AlertWebhook webhook() {
        return webhook;
    }

    /** What runs where, for the stack's summary. */
    public Map<String, String> endpoints() {
        return java.util.Collections.unmodifiableMap(endpoints);
    }

    private <T extends AutoCloseable> T keep(T resource) {
        running.push(resource);
        return resource;
    }

    @Override
    public void close() {
        List<Exception> failures = new ArrayList<>();
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        failures.forEach(e -> log.warn("Stopping the monitoring failed: {}", e.getMessage(), e));
    }

    /** Files the monitoring reads, copied or written into the stack's data directory. */
    record MonitoringLayout(Path prometheusConfig, Path alertmanagerConfig) {

        static MonitoringLayout write(Path source, Path home, URI webhook) {
            try {
                Path prometheus = home.resolve("prometheus");
                Files.createDirectories(prometheus.resolve("rules"));
                Files.createDirectories(prometheus.resolve("targets"));
                Path config = prometheus.resolve("prometheus.yml");
                Files.copy(
                        source.resolve("prometheus/prometheus.yml"),
                        config,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (Stream<Path> rules = Files.list(source.resolve("prometheus/rules"))) {
                    for (Path rule : rules.filter(
                                    file -> file.getFileName().toString().endsWith(".rules.yml"))
                            .toList()) {
                        Files.copy(
                                rule,
                                prometheus.resolve("rules").resolve(rule.getFileName()),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path alertmanager = home.resolve("alertmanager/alertmanager.yml");
                Files.createDirectories(alertmanager.getParent());
                String routing = Files.readString(source.resolve("alertmanager/alertmanager.yml"));
                if (!routing.contains(WEBHOOK_IN_FILE)) {
                    throw new IllegalStateException("alertmanager.yml no longer names the receiver " + WEBHOOK_IN_FILE
                            + ", which the embedded stack replaces by its own");
                }
                Files.writeString(alertmanager, routing.replace(WEBHOOK_IN_FILE, webhook.toString()));
                return new MonitoringLayout(config, alertmanager);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot lay out the monitoring files in " + home, e);
            }
        }

        /** One file_sd file per job, {@code targets/<job>.json}, as prometheus.yml names them. */
        void writeTargets(Map<String, List<String>> targets) {
            Path directory = prometheusConfig.resolveSibling("targets");
            targets.forEach((job, addresses) -> {
                String json = addresses.stream()
                        .map(address -> '"' + address + '"')
                        .collect(Collectors.joining(", ", "[\n  {\"targets\": [", "]}\n]\n"));
                try {
                    Files.writeString(directory.resolve(job + ".json"), json);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write the targets of " + job, e);
                }
            });
        }
    }
}
