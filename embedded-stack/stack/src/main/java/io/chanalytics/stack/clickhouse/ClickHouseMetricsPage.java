package io.chanalytics.stack.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.stack.monitoring.Exposition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;

/**
 * What the ClickHouse server's Prometheus handler ({@code <prometheus>} in {@code config.d}, port 9363 in compose)
 * answers, for the embedded engine: the same names and types, so one rule file reads both. Profile events are
 * counters ({@code ClickHouseProfileEvents_*}), current metrics and asynchronous metrics gauges
 * ({@code ClickHouseMetrics_*}, {@code ClickHouseAsyncMetrics_*}), error counts counters
 * ({@code ClickHouseErrorMetric_*}). The engine has no asynchronous metrics table; the ones the rules read (memory
 * and the default disk) are measured here as the server measures them.
 */
final class ClickHouseMetricsPage {

    // Every event, not only those that happened: a rate needs the zero before the first increase.
    private static final String EVENTS =
            "SELECT event, value, description FROM system.events" + " SETTINGS system_events_show_zero_values = 1";
    private static final String METRICS = "SELECT metric, value, description FROM system.metrics";
    // The server lists every error code, with this server's own count ("local"); the engine keeps one row per code
    // and origin, the local ones with remote = 0.
    private static final String ERRORS = "SELECT name, sum(value) FROM system.errors WHERE NOT remote GROUP BY name";

    private final ChDb engine;

    ClickHouseMetricsPage(ChDb engine) {
        this.engine = engine;
    }

    Exposition render() {
        var page = new Exposition();
        for (String[] row : rows(EVENTS)) {
            family(page, "ClickHouseProfileEvents_", row, "counter");
        }
        for (String[] row : rows(METRICS)) {
            family(page, "ClickHouseMetrics_", row, "gauge");
        }
        asynchronousMetrics(page);
        for (String[] row : rows(ERRORS)) {
            String name = "ClickHouseErrorMetric_" + row[0];
            page.family(name, "counter", "The number of " + row[0] + " errors since last server restart")
                    .sample(name, Long.parseLong(row[1]));
        }
        return page;
    }

    private static void family(Exposition page, String prefix, String[] row, String type) {
        String name = Exposition.metricName(row[0]);
        if (!name.isEmpty()) {
            page.family(prefix + name, type, row[2]).sample(prefix + name, Long.parseLong(row[1]));
        }
    }

    private void asynchronousMetrics(Exposition page) {
        var system = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        gauge(
                page,
                "OSMemoryTotal",
                "The total amount of memory on the host system, in bytes.",
                system.getTotalMemorySize());
        gauge(
                page,
                "OSMemoryAvailable",
                "The amount of memory available to be used by programs, in bytes.",
                system.getFreeMemorySize());
        try {
            FileStore disk = Files.getFileStore(engine.dataPath());
            gauge(
                    page,
                    "DiskTotal_default",
                    "The total size in bytes of the disk (virtual filesystem).",
                    disk.getTotalSpace());
            gauge(
                    page,
                    "DiskAvailable_default",
                    "Available bytes on the disk (virtual filesystem).",
                    disk.getUsableSpace());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the disk of " + engine.dataPath(), e);
        }
    }

    private static void gauge(Exposition page, String name, String help, long value) {
        String family = "ClickHouseAsyncMetrics_" + name;
        page.family(family, "gauge", help).sample(family, value);
    }

    /** The rows of a tab-separated answer, its escapes undone (the descriptions have none but may one day). */
    private String[][] rows(String sql) {
        return engine.query(sql, "TabSeparated")
                .lines()
                .map(line -> line.split("\t", -1))
                .map(fields -> {
                    for (int i = 0; i < fields.length; i++) {
                        fields[i] = fields[i]
                                .replace("\\t", " ")
                                .replace("\\n", " ")
                                .replace("\\'", "'")
                                .replace("\\\\", "\\");
                    }
                    return fields;
                })
                .toArray(String[][]::new);
    }
}
