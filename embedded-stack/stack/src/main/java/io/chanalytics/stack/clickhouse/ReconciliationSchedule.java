package io.chanalytics.stack.clickhouse;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine's rollups kept exact by themselves: {@link RollupReconciler} runs every
 * {@link RollupReconciler#INTERVAL} on its own thread, so a block the Kafka engine read twice is counted once again
 * within that interval (plus the run). A failed run is logged and the next one tries again: the ledger keeps what
 * was not reconciled.
 */
public final class ReconciliationSchedule implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationSchedule.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("rollup-reconciler").daemon().factory());
    private final RollupReconciler reconciler;

    private ReconciliationSchedule(SqlSession engine) {
        this.reconciler = new RollupReconciler(engine);
    }

    public static ReconciliationSchedule start(SqlSession engine, Duration interval) {
        var schedule = new ReconciliationSchedule(engine);
        schedule.executor.scheduleWithFixedDelay(
                schedule::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return schedule;
    }

    private void runOnce() {
        try {
            for (RollupReconciler.Reconciliation run : reconciler.reconcile()) {
                log.info(
                        "Rollups of {} reconciled: {} messages read twice in {} blocks, minutes {} to {}; {} rollup"
                                + " rows rebuilt in {}, ingestion paused {} ms",
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
            log.warn("Rollup reconciliation failed; the next run tries again: {}", e.getMessage());
        }
    }

    /** Waits for a run in progress, which reattaches the Kafka table it paused, before the engine closes. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("A rollup reconciliation still ran after 60 s; closing the engine under it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
