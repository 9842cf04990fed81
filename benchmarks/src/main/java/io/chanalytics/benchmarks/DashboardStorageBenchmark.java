package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.grafana.GrafanaMacros;
import io.chanalytics.stack.RepositoryLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmarks 5 and 6 (docs/benchmarks.md): every dashboard panel on the rollups against the same answer computed from
 * raw rows, and the bytes each table and column takes, at 10,000,000 realistic request events (a week of a busy
 * stack) plus business events and system metrics in proportion, on the real schema in the real engine.
 *
 * <p>The rollups are filled by the schema's own materialized views: their SELECTs are read from the engine and run
 * over the raw rows, and the raw-row variant of each panel replaces each rollup table by that same SELECT, so the
 * two variants must give the same answer and the comparison is the rollups' worth. The event id is stored three times,
 * as the services send it (an instance's prefix and count, {@code EventIds}) and as the time-ordered UUIDv7 and the
 * random UUIDv4 they sent before, to measure what the id costs.
 */
public final class DashboardStorageBenchmark {

    private static final String EXPLAIN = "EXPLAIN indexes = 1 ";

    private static final int ROUNDS = 5;

    private final ChDb engine;
    private final long requests;

    private DashboardStorageBenchmark(ChDb engine, long requests) {
        this.engine = engine;
        this.requests = requests;
    }

    public static void main(String[] args) throws IOException {
        boolean quick = List.of(args).contains("--quick");
        long requests = quick ? 100_000 : 10_000_000;
        Path data = Files.createTempDirectory("chanalytics-bench-dashboards");
        try (ChDb engine = ChDb.open(data)) {
            new DashboardStorageBenchmark(engine, requests).run(quick);
        }
    }

    private void run(boolean quick) {
        // Nothing listens there: the Kafka tables are dropped before they matter.
        Map<String, String> variables = SchemaVariables.with(Map.of("CH_KAFKA_BROKER_LIST", "127.0.0.1:9"));
        SchemaMigrations.fromClasspath().apply(engine, variables);
        Map<String, String> rollupSelects = detachFromKafka();

        long started = System.nanoTime();
        Instant end = Instant.now();
        Instant start = end.minus(Duration.ofDays(7));
        SyntheticEvents.load(engine, requests, start, end);
        idCopies();
        rollupSelects.forEach((target, select) -> engine.execute("INSERT INTO " + target + " " + select));
        for (String table : tables()) {
            engine.execute("OPTIMIZE TABLE analytics." + table + " FINAL");
        }
        System.out.printf(
                Locale.ROOT,
                "loaded %,d request events, %,d business events, %,d system metrics and %d rollups in %.1f s%n",
                count("request_metrics"),
                count("business_events"),
                count("system_metrics"),
                rollupSelects.size(),
                (System.nanoTime() - started) / 1e9);

        storage();
        storageLevers();
        int rounds = quick ? 1 : ROUNDS;
        queries(
                rollupSelects,
                end.minus(Duration.ofHours(1)),
                end,
                Duration.ofSeconds(5),
                rounds,
                "the last hour (the dashboards' default range)");
        queries(rollupSelects, start, end, Duration.ofMinutes(10), rounds, "the last 7 days (every row)");
    }

    /**
     * The rollup views' SELECTs with the Kafka table swapped for the raw table, then the views and Kafka tables
     * dropped so no consumer starts.
     */
    private Map<String, String> detachFromKafka() {
        Map<String, String> rollupSelects = new LinkedHashMap<>();
        for (SchemaViews view : SchemaViews.readingKafka(engine)) {
            if (view.fillsRollup()) {
                rollupSelects.put(view.target(), view.selectFrom(view.rawAsKafka(engine)));
            }
        }
        for (String view : engine.query("SELECT name FROM system.tables WHERE database = 'analytics' AND engine ="
                        + " 'MaterializedView'")
                .lines()
                .toList()) {
            engine.execute("DROP VIEW analytics." + view);
        }
        for (String kafka : engine.query(
                        "SELECT name FROM system.tables WHERE database = 'analytics' AND engine =" + " 'Kafka'")
                .lines()
                .toList()) {
            engine.execute("DROP TABLE analytics." + kafka);
        }
        return rollupSelects;
    }

    /**
     * The same rows with the ids the services sent before, for the id's cost: a random UUIDv4 (before EventIds), and a
     * UUIDv7 (EventIds until 2026-12-02: 48 bits of the event's millisecond, then random bits).
     */
    private void idCopies() {
        engine.execute("CREATE TABLE analytics.request_metrics_uuid4 AS analytics.request_metrics");
        engine.execute("INSERT INTO analytics.request_metrics_uuid4 SELECT * REPLACE (generateUUIDv4() AS event_id)"
                + " FROM analytics.request_metrics");
        engine.execute("CREATE TABLE analytics.request_metrics_uuid7 AS analytics.request_metrics");
        String millis = "leftPad(lower(hex(toUInt64(toUnixTimestamp64Milli(timestamp)))), 12, '0')";
        engine.execute("INSERT INTO analytics.request_metrics_uuid7 SELECT * REPLACE (toUUID(concat(substring(" + millis
                + ", 1, 8), '-', substring(" + millis + ", 9, 4), '-7', substring(lower(hex(randomString(2))), 1, 3),"
                + " '-', substring('89ab', rand(16) % 4 + 1, 1), substring(lower(hex(randomString(2))), 1, 3), '-',"
                + " lower(hex(randomString(6))))) AS event_id) FROM analytics.request_metrics");
    }

    /** Benchmark 6: compressed and uncompressed bytes per row, per table and per column. */
    private void storage() {
        System.out.println("\n== Storage (6): bytes per row after OPTIMIZE FINAL");
        System.out.print(engine.query("""
                SELECT table, rows, round(compressed / rows, 1) AS compressed_per_row,
                       round(uncompressed / rows, 1) AS uncompressed_per_row,
                       formatReadableSize(compressed) AS compressed_total
                FROM (SELECT table, sum(rows) AS rows, sum(data_compressed_bytes) AS compressed,
                             sum(data_uncompressed_bytes) AS uncompressed
                      FROM system.parts WHERE database = 'analytics' AND active GROUP BY table)
                ORDER BY table
                """, "PrettyCompactMonoBlock"));
        System.out.println("Columns over 1 byte per row (request_metrics, its copies with the earlier ids, rollups):");
        System.out.print(engine.query("""
                SELECT c.table, c.name, round(c.data_compressed_bytes / p.rows, 2) AS compressed_per_row,
                       round(c.data_uncompressed_bytes / p.rows, 1) AS uncompressed_per_row
                FROM system.columns AS c
                INNER JOIN (SELECT table, sum(rows) AS rows FROM system.parts
                            WHERE database = 'analytics' AND active GROUP BY table) AS p ON c.table = p.table
                WHERE c.database = 'analytics' AND p.rows > 0 AND c.data_compressed_bytes / p.rows > 1
                      AND c.table NOT IN ('business_events', 'system_metrics', 'ingest_errors')
                ORDER BY c.table, compressed_per_row DESC
                """, "PrettyCompactMonoBlock"));
    }

    /** Benchmark 5: each panel over the whole week, on its tables and with every rollup computed from raw rows. */
    private void queries(
            Map<String, String> rollupSelects,
            Instant start,
            Instant end,
            Duration interval,
            int rounds,
            String range) {
        // The interval Grafana derives for a time series about 1,000 points wide.
        var macros = new GrafanaMacros(start, end, interval, Map.of("service", List.of(GrafanaMacros.ALL)));
        System.out.printf(
                Locale.ROOT,
                "%n== Dashboard queries (5): %s, all services, median of %d alternated rounds%n",
                range,
                rounds);
        System.out.printf(Locale.ROOT, "%-62s %10s %10s %8s %6s%n", "panel", "panel ms", "raw ms", "raw/panel", "rows");
        List<Double> ratios = new ArrayList<>();
        List<String> longRange = new ArrayList<>();
        double slowest = 0;
        for (Dashboards.PanelQuery panel :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            String sql = macros.expand(panel.sql());
            String fromRaw = sql;
            for (Map.Entry<String, String> rollup : rollupSelects.entrySet()) {
                fromRaw = fromRaw.replaceAll(
                        "\\b" + Pattern.quote(rollup.getKey()) + "\\b",
                        Matcher.quoteReplacement("(" + rollup.getValue() + ")"));
            }
            boolean onRollup = !fromRaw.equals(sql);
            // The long-range panels also run as they were before the hourly rollups (017), in the same rounds.
            String minutesAlone =
                    MinuteRollupsAlone.applies(panel.sql()) ? macros.expand(MinuteRollupsAlone.of(panel.sql())) : null;
            List<Long> panelTimes = new ArrayList<>();
            List<Long> rawTimes = new ArrayList<>();
            List<Long> aloneTimes = new ArrayList<>();
            List<Long> planTimes = new ArrayList<>();
            List<Long> alonePlanTimes = new ArrayList<>();
            String answer = "";
            String aloneAnswer = "";
            for (int round = 0; round < rounds + 1; round++) {
                long t0 = System.nanoTime();
                answer = engine.query(sql, "TabSeparated");
                long t1 = System.nanoTime();
                if (onRollup) {
                    engine.query(fromRaw, "TabSeparated");
                }
                long t2 = System.nanoTime();
                if (minutesAlone != null) {
                    aloneAnswer = engine.query(minutesAlone, "TabSeparated");
                }
                long t3 = System.nanoTime();
                // Planning alone, index analysis included (EXPLAIN reads no row): how much of the difference between
                // the two forms of a long-range panel is planning its second branch rather than running it.
                long t4 = t3;
                long t5 = t3;
                if (minutesAlone != null) {
                    engine.query(EXPLAIN + sql, "TabSeparated");
                    t4 = System.nanoTime();
                    engine.query(EXPLAIN + minutesAlone, "TabSeparated");
                    t5 = System.nanoTime();
                }
                if (round > 0) { // the first round warms caches for all of them
                    panelTimes.add(t1 - t0);
                    rawTimes.add(t2 - t1);
                    aloneTimes.add(t3 - t2);
                    planTimes.add(t4 - t3);
                    alonePlanTimes.add(t5 - t4);
                }
            }
            double panelMs = median(panelTimes) / 1e6;
            slowest = Math.max(slowest, panelMs);
            String name = (panel.dashboard() + " / " + panel.panel());
            if (minutesAlone != null) {
                double aloneMs = median(aloneTimes) / 1e6;
                longRange.add(String.format(
                        Locale.ROOT,
                        "  %-60.60s %8.1f %8.1f %6.2f %8.1f %8.1f  %s%n",
                        name,
                        panelMs,
                        aloneMs,
                        panelMs / aloneMs,
                        median(planTimes) / 1e6,
                        median(alonePlanTimes) / 1e6,
                        aloneAnswer.equals(answer) ? "same answer" : "answers differ"));
            }
            if (onRollup) {
                double rawMs = median(rawTimes) / 1e6;
                ratios.add(rawMs / panelMs);
                System.out.printf(
                        Locale.ROOT,
                        "%-62.62s %10.1f %10.1f %8.1fx %6d%n",
                        name,
                        panelMs,
                        rawMs,
                        rawMs / panelMs,
                        answer.lines().count());
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "%-62.62s %10.1f %10s %8s %6d%n",
                        name,
                        panelMs,
                        "(raw)",
                        "",
                        answer.lines().count());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "slowest panel %.1f ms; raw/rollup ratio median %.1fx, min %.1fx over %d rollup panels%n",
                slowest,
                ratios.isEmpty()
                        ? 0
                        : median(ratios.stream().map(r -> (long) (r * 1000)).toList()) / 1000,
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                ratios.size());
        System.out.printf(
                Locale.ROOT,
                "Long-range panels: hourly + minute rollups (the schema since 017) against the minute rollup alone"
                        + " (before 017), same rounds; each form's plan alone (EXPLAIN indexes = 1)%n"
                        + "  %-60s %8s %8s %6s %8s %8s%n",
                "panel",
                "017 ms",
                "1m ms",
                "ratio",
                "017 plan",
                "1m plan");
        longRange.forEach(System.out::print);
    }

    /**
     * The levers for the raw table's columns the schema changed, each on the same rows in a narrow table with the raw
     * table's sort key, and the distinct-count states the region rollup could hold, by how many distinct values a
     * minute sees (200 is this data set's typical minute and region; 100,000 a burst).
     */
    private void storageLevers() {
        String key = "service_name LowCardinality(String), endpoint LowCardinality(String), timestamp DateTime64(3)";
        // response_time_ms is Float32 in the raw table now: the Float64 variants draw the generator's values afresh.
        String latency = "round(randLogNormal(3, 0.6), 6)";
        List<Lever> levers = List.of(
                new Lever("UUIDv4, LZ4 (before)", "event_id UUID", "event_id", "request_metrics_uuid4"),
                new Lever("UUIDv4, ZSTD(3)", "event_id UUID CODEC(ZSTD(3))", "event_id", "request_metrics_uuid4"),
                new Lever("UUIDv7, LZ4", "event_id UUID", "event_id", "request_metrics_uuid7"),
                new Lever(
                        "UUIDv7, ZSTD(3) (before)",
                        "event_id UUID CODEC(ZSTD(3))",
                        "event_id",
                        "request_metrics_uuid7"),
                new Lever("instance + count (UUIDv8), LZ4", "event_id UUID", "event_id", "request_metrics"),
                new Lever(
                        "instance + count (UUIDv8), ZSTD(3) (schema)",
                        "event_id UUID CODEC(ZSTD(3))",
                        "event_id",
                        "request_metrics"),
                new Lever(
                        "session_id ZSTD(1) (before)",
                        "session_id Nullable(String) CODEC(ZSTD(1))",
                        "session_id",
                        "request_metrics"),
                new Lever(
                        "session_id ZSTD(3) (schema)",
                        "session_id Nullable(String) CODEC(ZSTD(3))",
                        "session_id",
                        "request_metrics"),
                new Lever(
                        "client_ip ZSTD(1) (before)",
                        "client_ip Nullable(String) CODEC(ZSTD(1))",
                        "client_ip",
                        "request_metrics"),
                new Lever(
                        "client_ip ZSTD(3) (schema)",
                        "client_ip Nullable(String) CODEC(ZSTD(3))",
                        "client_ip",
                        "request_metrics"),
                new Lever(
                        "user_id ZSTD(1) (before)",
                        "user_id Nullable(String) CODEC(ZSTD(1))",
                        "user_id",
                        "request_metrics"),
                new Lever(
                        "user_id ZSTD(3) (schema)",
                        "user_id Nullable(String) CODEC(ZSTD(3))",
                        "user_id",
                        "request_metrics"),
                new Lever(
                        "session_id LowCardinality",
                        "session_id LowCardinality(Nullable(String))",
                        "session_id",
                        "request_metrics"),
                new Lever(
                        "response_time_ms Float64, ZSTD(1) (before)",
                        "response_time_ms Float64 CODEC(ZSTD(1))",
                        latency,
                        "request_metrics"),
                new Lever(
                        "response_time_ms Float64, Gorilla + ZSTD(1)",
                        "response_time_ms Float64 CODEC(Gorilla, ZSTD(1))",
                        latency,
                        "request_metrics"),
                new Lever(
                        "response_time_ms Float32, ZSTD(1) (schema)",
                        "response_time_ms Float32 CODEC(ZSTD(1))",
                        latency,
                        "request_metrics"),
                new Lever(
                        "transaction_amount LZ4 (before)",
                        "transaction_amount Nullable(Float64)",
                        "transaction_amount",
                        "request_metrics"),
                new Lever(
                        "transaction_amount ZSTD(1) (schema)",
                        "transaction_amount Nullable(Float64) CODEC(ZSTD(1))",
                        "transaction_amount",
                        "request_metrics"),
                new Lever(
                        "_timestamp ZSTD(1) (before)",
                        "_timestamp Nullable(DateTime64(3)) CODEC(ZSTD(1))",
                        "_timestamp",
                        "request_metrics"),
                new Lever(
                        "_timestamp Delta, ZSTD(1) (schema)",
                        "_timestamp Nullable(DateTime64(3)) CODEC(Delta, ZSTD(1))",
                        "_timestamp",
                        "request_metrics"));
        System.out.println("\nLevers, compressed bytes per row of the one column:");
        int i = 0;
        for (Lever lever : levers) {
            String table = "analytics.lever_" + i++;
            String column = lever.column().substring(0, lever.column().indexOf(' '));
            engine.execute("CREATE TABLE " + table + " (" + key + ", " + lever.column()
                    + ") ENGINE = MergeTree ORDER BY (service_name, endpoint, timestamp)"
                    // Wide parts, or the engine keeps no per-column sizes.
                    + " SETTINGS min_bytes_for_wide_part = 0");
            engine.execute("INSERT INTO " + table + " SELECT service_name, endpoint, timestamp, " + lever.value()
                    + " FROM analytics." + lever.source());
            engine.execute("OPTIMIZE TABLE " + table + " FINAL");
            System.out.printf(
                    Locale.ROOT,
                    "  %-48s %6.2f%n",
                    lever.label(),
                    Double.parseDouble(engine.queryValue(
                            "SELECT data_compressed_bytes / " + count(table.substring("analytics.".length()))
                                    + " FROM system.columns WHERE database = 'analytics' AND table = '"
                                    + table.substring("analytics.".length()) + "' AND name = '" + column + "'")));
            engine.execute("DROP TABLE " + table);
        }
        System.out.println("Distinct-count states (bytes as stored) and estimates, by distinct values per state:");
        System.out.print(engine.query("""
                SELECT n AS distinct_values,
                       length(toString(uniqState(u))) AS uniq_bytes, uniq(u) AS uniq_estimate,
                       length(toString(uniqCombinedState(12)(u))) AS uniqCombined12_bytes,
                       uniqCombined(12)(u) AS uniqCombined12_estimate,
                       length(toString(uniqHLL12State(u))) AS uniqHLL12_bytes, uniqHLL12(u) AS uniqHLL12_estimate
                FROM (SELECT n, concat('user-', toString(number)) AS u
                      FROM numbers(100000) ARRAY JOIN [200, 2000, 100000] AS n WHERE number < n)
                GROUP BY n ORDER BY n
                """, "PrettyCompactMonoBlock"));
    }

    /** One column stored one way: its definition, the value it is filled with and the table the rows come from. */
    private record Lever(String label, String column, String value, String source) {}

    private List<String> tables() {
        return engine.query("SELECT name FROM system.tables WHERE database = 'analytics' AND engine LIKE '%MergeTree'")
                .lines()
                .toList();
    }

    private long count(String table) {
        return engine.queryLong("SELECT count() FROM analytics." + table);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
