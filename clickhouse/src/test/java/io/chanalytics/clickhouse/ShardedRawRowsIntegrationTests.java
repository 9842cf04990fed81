package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaMode;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema file 018 on the real engine: in the cluster, the raw view writes through {@code <stream>_local}, a
 * {@code Distributed} table sharded by the event id, so a block the Kafka engine reads again lands on the shard of
 * its first copy whichever node reads it, and {@code FINAL} on each shard folds every copy.
 *
 * <p>The engine runs with the cluster stack's own {@code cluster.xml} (two shards of two replicas) in a child process;
 * the cluster's hosts do not exist here, so a {@code Distributed} insert stays in the engine's per-shard spool
 * directories, where it waits for its shard: the routing is the engine's, and each shard's spool is read back with
 * the engine's {@code Distributed} input format into a copy of that shard's table. The statements are the cluster
 * mode's own (files 001, 003 and 018), run on one engine: without {@code ON CLUSTER} and with plain engines in place
 * of the Replicated ones, which need Keeper. Two deliveries of overlapping blocks (offsets 0-599, then 400-899 as a
 * node reads them again after a rebalance) go through the router, and through the readers' table, whose {@code rand()}
 * stands for a copy written wherever it was read: what the cluster did before 018.
 */
class ShardedRawRowsIntegrationTests {

    private static final Path CLUSTER_CONFIG = Path.of("docker/cluster/cluster.xml");
    private static final String CLUSTER = "chanalytics";
    private static final String COLUMNS =
            "event_id, timestamp, service_name, instance_id, endpoint, method, status_code, response_time_ms, _topic,"
                    + " _partition, _offset";
    private static final String MESSAGE_ROWS =
            "SELECT event_id, timestamp, 'crud-api', 'crud-api-1', '/products/{id}', 'GET', 200, 1.5, 'request-events',"
                    + " 0, offset FROM default.messages";

    @TempDir
    Path workDirectory;

    @Test
    void aBlockReadAgainEndsOnTheShardOfItsFirstCopyAndFinalFoldsIt() throws Exception {
        Shards sharded = deliverTwice("analytics.request_metrics_local");

        assertThat(sharded.rows()).as("rows written, copies included").isEqualTo(1_100);
        assertThat(sharded.onBothShards()).as("events with rows on both shards").isZero();
        assertThat(sharded.rowsAfterFinal())
                .as("rows after FINAL on each shard, summed")
                .isEqualTo(900);
        assertThat(sharded.smallerShare()).as("the smaller shard's rows").isGreaterThan(300);
    }

    /** The reproduction: copies written without a key of the row's identity end on either shard and stay. */
    @Test
    void withoutTheEventIdAsShardingKeyCopiesLandOnTheOtherShardAndFinalKeepsThem() throws Exception {
        Shards unsharded = deliverTwice("analytics.request_metrics");

        assertThat(unsharded.rows()).isEqualTo(1_100);
        assertThat(unsharded.onBothShards())
                .as("events with rows on both shards")
                .isPositive();
        assertThat(unsharded.rowsAfterFinal()).isGreaterThan(900);
    }

    /** What each shard holds after both deliveries went through {@code table}. */
    private record Shards(long rows, long onBothShards, long rowsAfterFinal, long smallerShare) {}

    private Shards deliverTwice(String table) throws Exception {
        List<String> statements = new ArrayList<>(schema());
        statements.addAll(List.of(
                "CREATE TABLE default.messages (offset UInt64, event_id UUID, timestamp DateTime64(3))"
                        + " ENGINE = MergeTree ORDER BY offset",
                "INSERT INTO default.messages SELECT number, generateUUIDv4(), now64(3) - number FROM numbers(900)",
                "INSERT INTO " + table + " (" + COLUMNS + ") " + MESSAGE_ROWS + " WHERE offset < 600",
                "INSERT INTO " + table + " (" + COLUMNS + ") " + MESSAGE_ROWS + " WHERE offset >= 400"));
        for (int shard = 1; shard <= 2; shard++) {
            // What the node holds for the shard, as it will send it (Memory: as written, copies included), and the
            // shard's table after receiving it. The spool's blocks carry every column of the table.
            statements.add(
                    "CREATE TABLE default.spool" + shard + " AS analytics.request_metrics_shard ENGINE = Memory");
            statements.add("INSERT INTO default.spool" + shard + " SELECT * FROM file(concat((SELECT data_paths[1]"
                    + " FROM system.tables WHERE database || '.' || name = {table:String}), 'shard" + shard
                    + "_*/*.bin'), 'Distributed') SETTINGS use_structure_from_insertion_table_in_table_functions = 0");
            statements.add("CREATE TABLE default.shard" + shard + " AS analytics.request_metrics_shard");
            statements.add("INSERT INTO default.shard" + shard + " SELECT * FROM default.spool" + shard);
        }
        statements.addAll(List.of(
                "SELECT (SELECT count() FROM default.spool1) + (SELECT count() FROM default.spool2)",
                "SELECT count() FROM (SELECT DISTINCT event_id FROM default.spool1) WHERE event_id IN"
                        + " (SELECT event_id FROM default.spool2)",
                "SELECT (SELECT count() FROM default.shard1 FINAL) + (SELECT count() FROM default.shard2 FINAL)",
                "SELECT least((SELECT count() FROM default.spool1), (SELECT count() FROM default.spool2))"));
        List<String> results = ConfigProbe.run(
                workDirectory,
                CLUSTER_CONFIG,
                Map.of("CH_SHARD", "1", "CH_REPLICA", "clickhouse-1", "CH_CLUSTER_SECRET", "s3cret"),
                statements,
                Map.of("table", table));
        assertThat(results).as("every statement ran: %s", results).hasSize(statements.size());
        List<Long> figures = results.subList(results.size() - 4, results.size()).stream()
                .map(result -> Long.parseLong(result.strip()))
                .toList();
        return new Shards(figures.get(0), figures.get(1), figures.get(2), figures.get(3));
    }

    /** The request stream's tables as the cluster mode makes them, for one engine without Keeper. */
    private static List<String> schema() {
        SchemaMode cluster = SchemaMode.onCluster(CLUSTER);
        Map<String, List<String>> files =
                SchemaMigrations.fromClasspath().statements(SchemaVariables.defaults(), cluster);
        List<String> statements = new ArrayList<>();
        for (String file : List.of("001_database.sql", "003_request_metrics.sql", "018_sharded_raw_rows.sql")) {
            assertThat(files).containsKey(file);
            for (String statement : files.get(file)) {
                boolean requestTables = !statement.contains("business_events") && !statement.contains("system_metrics");
                if (requestTables && !statement.contains("kafka_")) {
                    statements.add(cluster.withoutKeeper(statement));
                }
            }
        }
        assertThat(statements)
                .as("018's router")
                .anyMatch(sql -> sql.contains("request_metrics_local")
                        && sql.contains("Distributed(" + CLUSTER + ", analytics, request_metrics_shard,"
                                + " cityHash64(event_id))"));
        return statements;
    }
}
