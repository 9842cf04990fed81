package io.chanalytics.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the rules promise a reader: every alert has a severity, a summary and a runbook section that exists; and the
 * ClickHouse series they read exist under those names in the real engine (the server's Prometheus handler names
 * system.events as ClickHouseProfileEvents_*, system.metrics as ClickHouseMetrics_*, system.asynchronous_metrics as
 * ClickHouseAsyncMetrics_*): a misspelt series would keep an alert silent for ever.
 */
class AlertRulesTests {

    private static final Set<String> ASYNCHRONOUS_FROM_SOURCE = Set.of(
            "ClickHouseAsyncMetrics_OSMemoryTotal",
            "ClickHouseAsyncMetrics_DiskAvailable_default",
            "ClickHouseAsyncMetrics_DiskTotal_default");

    @Test
    void everyAlertHasASeverityASummaryAndARunbookSection() throws Exception {
        String operations = Files.readString(MonitoringFiles.REPOSITORY.resolve("docs/operations.md"));
        Set<String> anchors = new TreeSet<>();
        operations
                .lines()
                .filter(line -> line.startsWith("#"))
                .forEach(line -> anchors.add(line.replaceFirst("^#+\\s*", "")
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 -]", "")
                        .replace(' ', '-')));
        for (MonitoringFiles.Alert alert : MonitoringFiles.alerts()) {
            assertThat(alert.labels().get("severity")).as(alert.name()).isIn("critical", "warning");
            assertThat(alert.annotations().get("summary")).as(alert.name()).isNotBlank();
            String anchor = alert.name().toLowerCase(Locale.ROOT);
            assertThat(alert.annotations()).as(alert.name()).containsEntry("runbook", "docs/operations.md#" + anchor);
            assertThat(anchors)
                    .as("a section of docs/operations.md titled " + alert.name())
                    .contains(anchor);
        }
    }

    @Test
    void theClickHouseSeriesTheRulesReadExistInTheEngine(@TempDir Path data) {
        Set<String> read = MonitoringFiles.clickHouseSeries();
        assertThat(read).contains("ClickHouseProfileEvents_KafkaRowsRead", "ClickHouseMetrics_KafkaConsumers");

        Set<String> exported = new TreeSet<>();
        try (ChDb engine = ChDb.open(data)) {
            engine.query("SELECT 'ClickHouseProfileEvents_' || event FROM system.events"
                            + " SETTINGS system_events_show_zero_values = 1")
                    .lines()
                    .forEach(exported::add);
            engine.query("SELECT 'ClickHouseMetrics_' || metric FROM system.metrics")
                    .lines()
                    .forEach(exported::add);
        }
        // chDB has no system.asynchronous_metrics (the server computes them in a background thread it does not run):
        // the asynchronous names the rules read are held to ClickHouse's source instead (ServerAsynchronousMetrics.cpp:
        // DiskTotal_<disk>, DiskAvailable_<disk>; AsynchronousMetrics.cpp: OSMemoryTotal), the only ones allowed here.
        exported.addAll(ASYNCHRONOUS_FROM_SOURCE);
        assertThat(exported).containsAll(read);
    }
}
