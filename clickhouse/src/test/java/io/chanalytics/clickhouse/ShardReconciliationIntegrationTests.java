package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.ingest.ReconcilerTopology;
import io.chanalytics.clickhouse.ingest.RollupReconciler;
import io.chanalytics.clickhouse.ingest.RollupViews;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconciliation on a shard of the cluster after schema file 018, on the real engine: the shard's raw rows are in
 * {@code request_metrics_shard} (copies of a message read twice included, folded by {@code FINAL}), the rollups
 * counted the copies, and the run rebuilds the touched minute from that table alone: the readers' table reads every
 * shard, and rebuilding a shard's rollup from it would count the other shards' events on this one too. One engine
 * stands for the shard (the cluster's {@code ON CLUSTER} pause needs Keeper): the single-node schema with the raw table
 * renamed as 018 renames it, another shard's raw rows beside it, and the readers' name over both.
 */
class ShardReconciliationIntegrationTests {

    @TempDir
    Path dataPath;

    @Test
    void theTouchedMinuteIsRebuiltFromTheShardsRawRows() {
        try (ChDb engine = ChDb.open(dataPath)) {
            // Kafka tables on a port nothing listens on: they exist with their views, and consume nothing.
            SchemaMigrations.fromClasspath()
                    .apply(engine, SchemaVariables.with(Map.of("CH_KAFKA_BROKER_LIST", "127.0.0.1:9")));
            engine.execute("RENAME TABLE analytics.request_metrics TO analytics.request_metrics_shard");
            engine.execute("CREATE TABLE analytics.request_metrics_other_shard AS analytics.request_metrics_shard");
            engine.execute("CREATE TABLE analytics.request_metrics AS analytics.request_metrics_shard"
                    + " ENGINE = Merge(analytics, '^request_metrics_(other_)?shard$')");
            Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
            insertEvents(engine, "analytics.request_metrics_shard", 300, first.toEpochMilli(), 0);
            // The second minute's 100 messages read again and written again, as a rebalance before a commit does.
            engine.execute("INSERT INTO analytics.request_metrics_shard SELECT * FROM analytics.request_metrics_shard"
                    + " WHERE _offset BETWEEN 100 AND 199");
            // The other shard's 40 events of the second minute: in the readers' table, not in this shard's rollups.
            insertEvents(engine, "analytics.request_metrics_other_shard", 40, first.toEpochMilli() + 60_000, 1000);
            String everyRow = RollupViews.rawAsKafka(engine, "request_metrics", "analytics.request_metrics_shard", "");
            for (RollupViews.Rollup rollup : RollupViews.of(engine, "request_metrics")) {
                engine.execute("INSERT INTO analytics." + rollup.table() + " "
                        + rollup.selectFrom("request_metrics", everyRow));
            }
            long second = first.getEpochSecond() + 60;
            for (int read = 0; read < 2; read++) {
                engine.execute("INSERT INTO analytics.ingest_blocks SELECT now64(3) - " + (2 - read)
                        + ", 'request_metrics', 'request-events', 0, 100, 199, 100, toDateTime(" + second
                        + ", 'UTC'), toDateTime(" + second + ", 'UTC')");
            }
            assertThat(engine.queryLong("SELECT count() FROM analytics.request_metrics_shard"))
                    .as("this shard's raw rows, copies included")
                    .isEqualTo(400);
            List<RollupViews.Rollup> rollups = RollupViews.of(engine, "request_metrics");
            assertThat(rollups).hasSize(6);
            for (RollupViews.Rollup rollup : rollups) {
                assertThat(requests(engine, rollup))
                        .as("%s counted the copies", rollup.table())
                        .isEqualTo(400);
            }

            List<RollupReconciler.Reconciliation> runs =
                    new RollupReconciler(ReconcilerTopology.singleNode(engine)).reconcile();

            assertThat(runs).extracting(RollupReconciler.Reconciliation::stream).containsExactly("request_metrics");
            assertThat(runs.getFirst().messagesReadAgain()).isEqualTo(100);
            for (RollupViews.Rollup rollup : rollups) {
                assertThat(requests(engine, rollup))
                        .as("%s: this shard's 300 events, once each", rollup.table())
                        .isEqualTo(300);
            }
        }
    }

    /** {@code count} events 0.6 s apart from {@code startMillis}, at offsets from {@code firstOffset}. */
    private static void insertEvents(ChDb engine, String table, int count, long startMillis, int firstOffset) {
        engine.execute("INSERT INTO " + table + " (event_id, timestamp, service_name, instance_id, endpoint, method,"
                + " status_code, response_time_ms, user_id, region, _topic, _partition, _offset)"
                + " SELECT generateUUIDv4(number), fromUnixTimestamp64Milli(toInt64(" + startMillis
                + " + number * 600)), 'crud-api', 'crud-api-1', '/products/{id}', 'GET', if(number % 7 = 0, 500, 200),"
                + " number % 50, concat('user-', toString(number % 40)), 'eu-west', 'request-events', 0, "
                + firstOffset + " + number FROM numbers(" + count + ")");
    }

    private static long requests(ChDb engine, RollupViews.Rollup rollup) {
        return engine.queryLong("SELECT countMerge(requests) FROM analytics." + rollup.table());
    }
}
