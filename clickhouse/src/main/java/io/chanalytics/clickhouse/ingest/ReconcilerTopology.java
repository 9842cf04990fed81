package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.schema.SchemaMode;
import java.util.List;

/**
 * Where {@link RollupReconciler} works: one node, or a cluster's shards. The coordinator reads the catalog and the
 * block ledger, pauses and resumes the streams ({@code ON CLUSTER} in a cluster: every node's Kafka table) and records
 * the runs; each shard's session rebuilds that shard's rollup partitions from that shard's raw rows, which are exact
 * there since schema file 018 routes every copy of a message to one shard. On one node the coordinator is the only
 * shard.
 *
 * @param mode one node, or the cluster's name as the schema runner has it (which also checks the name)
 */
public record ReconcilerTopology(SqlSession coordinator, List<SqlSession> shards, SchemaMode mode) {

    public ReconcilerTopology {
        shards = List.copyOf(shards);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("No shard to reconcile");
        }
    }

    public static ReconcilerTopology singleNode(SqlSession node) {
        return new ReconcilerTopology(node, List.of(node), SchemaMode.SINGLE_NODE);
    }

    public static ReconcilerTopology cluster(SqlSession coordinator, List<SqlSession> shards, String cluster) {
        return new ReconcilerTopology(coordinator, shards, SchemaMode.onCluster(cluster));
    }

    boolean clustered() {
        return mode.clustered();
    }

    /** The clause that makes a DDL statement run on every node: nothing on one node. */
    String onCluster() {
        return clustered() ? " ON CLUSTER " + mode.cluster() : "";
    }

    /** A table the reconciler writes itself (its run records): in the cluster, the coordinator's shard's copy. */
    String ownTable(String table) {
        return clustered() ? table + "_local" : table;
    }
}
