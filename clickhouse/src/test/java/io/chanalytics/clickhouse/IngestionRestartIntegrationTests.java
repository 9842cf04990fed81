package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.ingest.Redeliveries;
import io.chanalytics.clickhouse.ingest.RollupAudit;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart mid-stream: a first engine lifetime (a child JVM, because chDB's Kafka engine cannot start twice in one
 * process) consumes part of the stream and is closed while events keep arriving; a second lifetime (this JVM)
 * reopens the same data path and catches up. The Kafka engine commits a block's offsets right after writing it, so
 * nothing is lost; this clean close left nothing written-but-uncommitted, so nothing is read twice either. Then the
 * group's committed offsets are moved back, as a crash between a write and its commit leaves them, so the reopened
 * engine surely reads those messages twice: the block ledger (ingest_blocks) must show exactly them, as the
 * rollup's double count.
 */
class IngestionRestartIntegrationTests {

    static final int BATCH = 300;
    static final int CHUNK = 10;
    static final int BUSINESS = 200;
    /** Messages per partition read a second time after the reopening. */
    static final int REWOUND = 25;

    @TempDir
    Path workDirectory;

    @Test
    void closingAndReopeningTheEngineMidStreamLosesAndDuplicatesNothing(TestReporter reporter) throws Exception {
        Path dataPath = workDirectory.resolve("clickhouse");
        List<RequestEvent> events = threeBatches(11);
        // Orders too, for the revenue: in the topic before the first engine starts, so it reads them with the first
        // batch.
        List<BusinessEvent> business = TestEvents.generate(
                        12, 0, BUSINESS, 0, events.getFirst().getTimestamp(), Duration.ofMinutes(30))
                .business();

        try (IngestionStack stack = IngestionStack.start()) {
            stack.publishAll(business);
            long beforeRestart;
            CompletableFuture<Integer> secondBatch;
            try (EngineProcessHandle first = EngineProcessHandle.start(dataPath, stack, workDirectory)) {
                secondBatch = consumeFirstBatchAndPartOfTheSecond(stack, first, events);
                assertThat(first.closeCleanly(Duration.ofSeconds(60)))
                        .as("first engine exit code, output %s", first.output())
                        .isZero();
                beforeRestart = first.lastCount();
            }
            long rewound =
                    CommittedOffsets.rewind(stack.kafka.bootstrapServers(), "clickhouse_request_metrics", REWOUND);
            long businessRewound =
                    CommittedOffsets.rewind(stack.kafka.bootstrapServers(), "clickhouse_business_events", REWOUND);
            int publishedBeforeClose = publishTheRest(stack, secondBatch, events);

            long reopening = System.nanoTime();
            try (EmbeddedClickHouse clickHouse = stack.startClickHouse(dataPath)) {
                long assigned = System.nanoTime();
                ChDb engine = clickHouse.engine();
                awaitAllEvents(engine);
                await("every business event")
                        .atMost(Duration.ofSeconds(30))
                        .until(() ->
                                engine.queryLong("SELECT count() FROM analytics.business_events FINAL") == BUSINESS);
                long readAgain = awaitLedger(engine, 3L * BATCH + rewound);
                String figures =
                        ("%d of %d rows written before the close (%d published); consumers assigned in %d ms, all %d rows"
                                        + " after %d ms; %d messages rewound, %d read again by the ledger; %d business"
                                        + " events rewound")
                                .formatted(
                                        beforeRestart,
                                        2 * BATCH,
                                        publishedBeforeClose,
                                        (assigned - reopening) / 1_000_000,
                                        3 * BATCH,
                                        (System.nanoTime() - reopening) / 1_000_000,
                                        rewound,
                                        readAgain,
                                        businessRewound);
                // Surefire keeps the console, not the report's entries.
                reporter.publishEntry("restart", figures);
                System.out.println("restart: " + figures);
                assertThat(beforeRestart)
                        .as("rows the first engine wrote: part of the second batch, at most what was published")
                        .isBetween((long) BATCH + 2 * CHUNK, (long) publishedBeforeClose);
                assertThat(publishedBeforeClose).as("the close came mid-stream").isLessThan(2 * BATCH);
                // Each partition that had committed offsets, at least one (the publisher need not use both).
                assertThat(rewound).as("committed messages moved back").isGreaterThanOrEqualTo(REWOUND);
                assertThat(readAgain)
                        .as("messages the ledger finds read twice: the rewound ones, none from the clean close")
                        .isEqualTo(rewound);
                assertThat(engine.queryLong("SELECT count() FROM analytics.request_metrics FINAL"))
                        .isEqualTo(3L * BATCH);
                // The rollups counted the rewound messages twice; the engine's reconciliation (every second here)
                // recomputes the minutes they fell in from the raw rows.
                String recorded = "SELECT sum(messages_read_again),"
                        + " arrayStringConcat(arraySort(groupUniqArrayArray(rollups)), ' ')"
                        + " FROM analytics.rollup_reconciliations WHERE stream = 'request_metrics'";
                await("the reconciliation recorded")
                        .atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> engine.query(recorded).startsWith(rewound + "\t"));
                assertThat(engine.query(recorded))
                        .isEqualTo(rewound + "\trequest_metrics_1m request_metrics_endpoint_1h"
                                + " request_metrics_region_1h request_metrics_region_1m request_metrics_service_1m"
                                + " request_metrics_status_1m\n");
                // The orders the first engine had committed were read twice too; their rollup is reconciled the same
                // way (its revenue exact to the cent, RollupAudit).
                await("the orders' reconciliation recorded")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> engine.queryLong("SELECT sum(messages_read_again) FROM"
                                        + " analytics.rollup_reconciliations WHERE stream = 'business_events'")
                                == businessRewound);
                assertThat(new RollupAudit(engine).mismatches())
                        .as("minutes where a rollup differs from the raw rows without copies")
                        .isEmpty();
                assertThat(engine.queryLong("SELECT countMerge(requests) FROM analytics.request_metrics_1m"))
                        .isEqualTo(3L * BATCH);
                assertThat(new RollupReconciler(engine).reconcile())
                        .as("a further run finds nothing new")
                        .isEmpty();
            }
        }
    }

    /**
     * Waits until the ledger holds every message read ({@code reads}, copies included) and returns how many it finds
     * read more than once.
     */
    static long awaitLedger(ChDb engine, long reads) {
        await("every block in the ledger")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(engine.queryLong("SELECT sum(messages) FROM analytics.ingest_blocks"
                                + " WHERE stream = 'request_metrics'"))
                        .as(
                                "messages in the ledger, per partition: blocks, messages, offsets %s",
                                engine.query("SELECT partition, count(), sum(messages), min(first_offset),"
                                        + " max(last_offset) FROM analytics.ingest_blocks GROUP BY partition"))
                        .isGreaterThanOrEqualTo(reads));
        return new Redeliveries(engine)
                .of("request_metrics", Instant.EPOCH).stream()
                        .mapToLong(Redeliveries.Redelivery::messagesReadAgain)
                        .sum();
    }

    static List<RequestEvent> threeBatches(long seed) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        return TestEvents.generate(seed, 3 * BATCH, 0, 0, start, Duration.ofMinutes(30))
                .requests();
    }

    /**
     * Publishes the first batch and waits until the engine wrote it; then lets the second batch trickle in, paced
     * by what the engine has written, and returns once the engine wrote two chunks of it. The trickle stops
     * publishing as soon as it is told to: the future gives the index of the first event it left unpublished, which
     * the caller publishes after stopping the engine, so the engine cannot have seen the whole second batch.
     */
    static CompletableFuture<Integer> consumeFirstBatchAndPartOfTheSecond(
            IngestionStack stack, EngineProcessHandle engine, List<RequestEvent> events) {
        await("engine ready").atMost(Duration.ofSeconds(90)).until(engine::ready);
        stack.publishAll(events.subList(0, BATCH));
        await("first batch written").atMost(Duration.ofSeconds(60)).until(() -> engine.lastCount() == BATCH);

        AtomicBoolean stopping = new AtomicBoolean();
        CompletableFuture<Integer> secondBatch = CompletableFuture.supplyAsync(() -> {
            for (int from = BATCH; from < 2 * BATCH; from += CHUNK) {
                if (stopping.get()) {
                    return from;
                }
                stack.publishAll(events.subList(from, from + CHUNK));
                long written = from + CHUNK;
                await("chunk written or engine stopping")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> stopping.get() || engine.lastCount() >= written);
            }
            return 2 * BATCH;
        });
        await("part of the second batch written")
                .atMost(Duration.ofSeconds(60))
                .until(() -> engine.lastCount() >= BATCH + 2 * CHUNK);
        stopping.set(true);
        return secondBatch;
    }

    /** Waits for the trickle to stop, then publishes what it left of the second batch, and the third batch. */
    static int publishTheRest(IngestionStack stack, CompletableFuture<Integer> secondBatch, List<RequestEvent> events)
            throws Exception {
        int unpublished = secondBatch.get(60, TimeUnit.SECONDS);
        stack.publishAll(events.subList(unpublished, 3 * BATCH));
        return unpublished;
    }

    static void awaitAllEvents(ChDb engine) {
        await("all events after the restart")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        engine.queryLong("SELECT uniqExact(event_id) FROM analytics.request_metrics") == 3L * BATCH);
    }
}
