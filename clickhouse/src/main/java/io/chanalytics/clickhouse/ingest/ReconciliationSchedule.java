package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded engine's rollups kept exact by themselves ({@code EmbeddedClickHouse} starts this): {@link
 * RollupReconciler} runs every {@link RollupReconciler#INTERVAL} on its own thread, so a block the Kafka engine read twice is counted once again
 * within that interval (plus the run). A failed run is logged and the next one tries again: the ledger keeps what
 * was not reconciled.
 */
public final class ReconciliationSchedule implements AutoCloseable {

    // System.Logger: this module has no logging library; the stack routes it to its own (SLF4J) where one is present.
    private static final System.Logger log = System.getLogger(ReconciliationSchedule.class.getName());

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("rollup-reconciler").daemon().factory());
    private final RollupReconciler reconciler;

    private ReconciliationSchedule(ReconcilerTopology topology) {
        this.reconciler = new RollupReconciler(topology);
    }

    public static ReconciliationSchedule start(SqlSession engine, Duration interval) {
        return start(ReconcilerTopology.singleNode(engine), interval);
    }

    public static ReconciliationSchedule start(ReconcilerTopology topology, Duration interval) {
        var schedule = new ReconciliationSchedule(topology);
        schedule.executor.scheduleWithFixedDelay(
                schedule::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    private void runOnce() {
        try {
            for (RollupReconciler.Reconciliation run : reconciler.reconcile()) {
                log.log(
                        System.Logger.Level.INFO,
                        "Rollups of {0} reconciled: {1} messages read twice in {2} blocks, minutes {3} to {4}; {5}"
                                + " rollup rows rebuilt in {6}, ingestion paused {7} ms",
                        run.stream(),
                        run.messagesReadAgain(),
                        run.redeliveries(),
                        run.firstMinute(),
                        run.lastMinute(),
                        run.rollupRowsWritten(),
                        run.rollups(),
                        run.paused().toMillis());
            }
        } catch (RuntimeException e) {
            log.log(
                    System.Logger.Level.WARNING,
                    "Rollup reconciliation failed; the next run tries again: {0}",
                    e.getMessage());
        }
    }

    /** Waits for a run in progress, which reattaches the Kafka table it paused, before the engine closes. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.log(
                        System.Logger.Level.WARNING,
                        "A rollup reconciliation still ran after 60 s; closing the engine under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
