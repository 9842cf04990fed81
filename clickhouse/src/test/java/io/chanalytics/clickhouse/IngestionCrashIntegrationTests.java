package io.chanalytics.clickhouse;

import static io.chanalytics.clickhouse.IngestionRestartIntegrationTests.BATCH;
import static io.chanalytics.clickhouse.IngestionRestartIntegrationTests.CHUNK;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.events.RequestEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine killed (SIGKILL) mid-stream, then reopened: at-least-once delivery loses nothing. A block written but
 * not yet committed when the process died is read again, so raw rows may hold copies until a merge drops them and
 * rollups count such a block twice; {@code FINAL} and {@code uniqExact(event_id)} stay exact.
 */
class IngestionCrashIntegrationTests {

    @TempDir
    Path workDirectory;

    @Test
    void killingTheEngineMidStreamLosesNothingAndFinalReadsStayExact(TestReporter reporter) throws Exception {
        Path dataPath = workDirectory.resolve("clickhouse");
        List<RequestEvent> events = IngestionRestartIntegrationTests.threeBatches(13);

        try (IngestionStack stack = IngestionStack.start()) {
            long beforeCrash;
            CompletableFuture<Integer> secondBatch;
            try (EngineProcessHandle first = EngineProcessHandle.start(dataPath, stack, workDirectory)) {
                secondBatch =
                        IngestionRestartIntegrationTests.consumeFirstBatchAndPartOfTheSecond(stack, first, events);
                first.kill();
                beforeCrash = first.lastCount();
            }
            int publishedBeforeCrash = IngestionRestartIntegrationTests.publishTheRest(stack, secondBatch, events);
            assertThat(beforeCrash)
                    .as("rows the engine wrote before SIGKILL: the first batch and part of the second")
                    .isBetween((long) BATCH + 2 * CHUNK, (long) publishedBeforeCrash);
            assertThat(publishedBeforeCrash).as("the crash came mid-stream").isLessThan(2 * BATCH);

            try (EmbeddedClickHouse clickHouse = stack.startClickHouse(dataPath)) {
                ChDb engine = clickHouse.engine();
                IngestionRestartIntegrationTests.awaitAllEvents(engine);
                long count = engine.queryLong("SELECT count() FROM analytics.request_metrics");
                long rollup = engine.queryLong("SELECT countMerge(requests) FROM analytics.request_metrics_1m");
                reporter.publishEntry(
                        "crash",
                        "%d rows seen before SIGKILL; after reopening count() %d, rollup %d for %d events"
                                .formatted(beforeCrash, count, rollup, 3 * BATCH));

                assertThat(engine.queryLong("SELECT count() FROM analytics.request_metrics FINAL"))
                        .as("FINAL reads each event once")
                        .isEqualTo(3L * BATCH);
                assertThat(count).as("raw rows: every event, copies possible").isGreaterThanOrEqualTo(3L * BATCH);
                assertThat(rollup).as("rollup: every event, copies possible").isGreaterThanOrEqualTo(3L * BATCH);
                engine.execute("OPTIMIZE TABLE analytics.request_metrics FINAL");
                assertThat(engine.queryLong("SELECT count() FROM analytics.request_metrics"))
                        .as("after a merge the copies are gone")
                        .isEqualTo(3L * BATCH);
            }
        }
    }
}
