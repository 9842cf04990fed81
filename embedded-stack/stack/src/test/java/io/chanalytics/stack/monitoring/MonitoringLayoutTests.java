package io.chanalytics.stack.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.stack.RepositoryLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded stack's monitoring files as Prometheus and Alertmanager will read them: the repository's
 * prometheus.yml and rules copied as they are, with this stack's file_sd targets for every job the configuration
 * names (promtool warns of any it would miss), and alertmanager.yml with the stack's receiver.
 */
class MonitoringLayoutTests {

    @TempDir
    Path home;

    @Test
    void prometheusAndAlertmanagerAcceptTheEmbeddedLayout() throws Exception {
        var layout = Monitoring.MonitoringLayout.write(
                RepositoryLayout.root().resolve("monitoring"), home, URI.create("http://127.0.0.1:4321/alerts"));
        Map<String, List<String>> targets = new LinkedHashMap<>();
        targets.put("crud-api", List.of("127.0.0.1:8001"));
        targets.put("ecommerce-api", List.of());
        targets.put("clickhouse", List.of("127.0.0.1:8123"));
        targets.put("kafka-consumer-lag", List.of("127.0.0.1:9308"));
        targets.put("keycloak", List.of("127.0.0.1:9190"));
        targets.put("alertmanager", List.of("127.0.0.1:9093"));
        targets.put("prometheus", List.of("127.0.0.1:9090"));
        layout.writeTargets(targets);

        var config = PrometheusTools.run(
                "promtool", "check", "config", layout.prometheusConfig().toString());
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).as("a job without its targets file").doesNotContain("WARNING");
        assertThat(config.output()).contains("SUCCESS: 13 rules found");

        var routing = PrometheusTools.run(
                "amtool", "check-config", layout.alertmanagerConfig().toString());
        assertThat(routing.exitCode()).as(routing.output()).isZero();
        assertThat(Files.readString(layout.alertmanagerConfig()))
                .contains("url: http://127.0.0.1:4321/alerts")
                .doesNotContain(Monitoring.WEBHOOK_IN_FILE);
    }

    @Test
    void aJobLeftWithoutTargetsIsWhatPromtoolWarnsOf() throws Exception {
        var layout = Monitoring.MonitoringLayout.write(
                RepositoryLayout.root().resolve("monitoring"), home, URI.create("http://127.0.0.1:4321/alerts"));
        layout.writeTargets(Map.of("crud-api", List.of("127.0.0.1:8001")));

        var config = PrometheusTools.run(
                "promtool", "check", "config", layout.prometheusConfig().toString());
        assertThat(config.output()).contains("WARNING", "targets/clickhouse.json");
    }
}
