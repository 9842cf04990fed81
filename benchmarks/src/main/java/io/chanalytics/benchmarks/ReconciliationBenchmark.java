package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.ingest.RollupAudit;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Benchmark: what the rollup reconciliation ({@link RollupReconciler}) costs at 10,000,000 request events (a week, the
 * data set of {@link DashboardStorageBenchmark}), and what it does to a 7-day panel. A redelivery of the request
 * stream is made as the Kafka engine makes one: the events of one minute counted a second time by every request
 * rollup, and two overlapping blocks in the ledger. Then one run: its wall time, the engine's CPU during it, the rows
 * it read, the stream's pause, and the rollups held to the raw rows after it ({@link RollupAudit}). The Kafka tables
 * point at a port nothing listens on: they exist, with their views, for the run to pause and find its rollups, and
 * consume nothing.
 */
final class ReconciliationBenchmark {

    private static final int PANEL_ROUNDS = 7;
    private static final String PANEL = "SELECT service_name, countMerge(requests), sumMerge(errors)"
            + " FROM analytics.request_metrics_1m WHERE minute >= now() - INTERVAL 7 DAY GROUP BY service_name";

    private final ChDb engine;

    private ReconciliationBenchmark(ChDb engine) {
        this.engine = engine;
    }

    public static void main(String[] args) throws IOException {
        long requests = List.of(args).contains("--quick") ? 100_000 : 10_000_000;
        Path data = Files.createTempDirectory("chanalytics-bench-reconciliation");
        try (ChDb engine = ChDb.open(data)) {
            new ReconciliationBenchmark(engine).run(requests);
        }
    }

    private void run(long requests) {
        SchemaMigrations.fromClasspath()
                .apply(engine, SchemaVariables.with(Map.of("CH_KAFKA_BROKER_LIST", "127.0.0.1:9")));
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        long started = System.nanoTime();
        SyntheticEvents.load(engine, requests, end.minus(Duration.ofDays(7)), end);
        List<SchemaViews> rollups = new ArrayList<>();
        for (SchemaViews view : SchemaViews.readingKafka(engine)) {
            if (view.fillsRollup()) {
                rollups.add(view);
                engine.execute("INSERT INTO " + view.target() + " " + view.selectFrom(view.rawAsKafka(engine)));
                engine.execute("OPTIMIZE TABLE " + view.target() + " FINAL");
            }
        }
        System.out.printf(
                Locale.ROOT,
                "loaded %,d request events and %d rollups in %.1f s%n",
                engine.queryLong("SELECT count() FROM analytics.request_metrics"),
                rollups.size(),
                (System.nanoTime() - started) / 1e9);

        String panelBefore = panelMillis();
        Instant minute = end.minus(Duration.ofMinutes(10));
        long redelivered = redeliver(rollups, minute);
        int mismatched = new RollupAudit(engine).mismatches().size();

        long rowsBefore = selectedRows();
        var cpuBefore = ThreadCpu.snapshot();
        long runStarted = System.nanoTime();
        List<RollupReconciler.Reconciliation> runs = new RollupReconciler(engine).reconcile();
        double seconds = (System.nanoTime() - runStarted) / 1e9;
        String cpu = ThreadCpu.snapshot().since(cpuBefore, 5);
        long rowsRead = selectedRows() - rowsBefore;
        List<String> after = new RollupAudit(engine).mismatches();

        System.out.printf(
                Locale.ROOT,
                "redelivery: %,d events of %s counted twice by the request rollups (%d minutes off before the run)%n",
                redelivered,
                minute,
                mismatched);
        for (RollupReconciler.Reconciliation run : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "run: %s, %,d messages read twice, %,d rollup rows rebuilt in %s; stream paused %d ms%n",
                    run.stream(),
                    run.messagesReadAgain(),
                    run.rollupRowsWritten(),
                    run.rollups(),
                    run.paused().toMillis());
        }
        System.out.printf(
                Locale.ROOT,
                "reconciliation: %.2f s wall, %,d rows read (audit queries excluded); CPU %s%n",
                seconds,
                rowsRead,
                cpu);
        System.out.printf(
                Locale.ROOT,
                "rollups equal to the raw rows after the run: %s%n",
                after.isEmpty() ? "yes" : "NO " + after.subList(0, Math.min(3, after.size())));
        System.out.printf(
                Locale.ROOT,
                "7-day panel (%s): before %s ms, after %s ms (median, min-max of %d)%n",
                PANEL,
                panelBefore,
                panelMillis(),
                PANEL_ROUNDS);
    }

    /**
     * The minute's events counted again by every request rollup (as a block read twice would be) and two overlapping
     * blocks in the ledger; returns the events.
     */
    private long redeliver(List<SchemaViews> rollups, Instant minute) {
        String filter = "toStartOfMinute(timestamp) = toDateTime(" + minute.getEpochSecond() + ", 'UTC')";
        for (SchemaViews view : rollups) {
            if (view.source().equals("analytics.kafka_request_metrics")) {
                engine.execute("INSERT INTO " + view.target() + " " + view.selectFrom(view.rawAsKafka(engine, filter)));
            }
        }
        long events = engine.queryLong("SELECT count() FROM analytics.request_metrics WHERE " + filter);
        for (int read = 0; read < 2; read++) {
            engine.execute("INSERT INTO analytics.ingest_blocks SELECT now64(3) - " + (2 - read)
                    + ", 'request_metrics', 'request-events', 0, 1000000, " + (1_000_000 + events - 1) + ", " + events
                    + ", toDateTime(" + minute.getEpochSecond() + ", 'UTC'), toDateTime(" + minute.getEpochSecond()
                    + ", 'UTC')");
        }
        return events;
    }

    private long selectedRows() {
        return engine.queryLong("SELECT sum(value) FROM system.events WHERE event = 'SelectedRows'");
    }

    private String panelMillis() {
        List<Long> micros = new ArrayList<>();
        for (int round = 0; round < PANEL_ROUNDS; round++) {
            long started = System.nanoTime();
            engine.query(PANEL);
            micros.add((System.nanoTime() - started) / 1_000);
        }
        micros.sort(null);
        return String.format(
                Locale.ROOT,
                "%.1f (%.1f-%.1f)",
                micros.get(micros.size() / 2) / 1e3,
                micros.getFirst() / 1e3,
                micros.getLast() / 1e3);
    }
}
