package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.util.List;

/**
 * Where {@link RollupReconciler} works: one node, or a cluster's shards. The coordinator reads the catalog and the
 * block ledger, pauses and resumes the streams ({@code ON CLUSTER} in a cluster: every node's Kafka table) and records
 * the runs; each shard's session rebuilds that shard's rollup partitions from that shard's raw rows, which are exact
 * there since schema file 018 routes every copy of a message to one shard. On one node the coordinator is the only
 * shard.
 *
 * @param cluster the cluster's name, empty on one node
 */
public record ReconcilerTopology(SqlSession coordinator, List<SqlSession> shards, String cluster) {

    public ReconcilerTopology {
        shards = List.copyOf(shards);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("No shard to reconcile");
        }
        if (!cluster.isEmpty() && !cluster.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a cluster name: '" + cluster + "'");
        }
    }

    public static ReconcilerTopology singleNode(SqlSession node) {
        return new ReconcilerTopology(node, List.of(node), "");
    }

    public static ReconcilerTopology cluster(SqlSession coordinator, List<SqlSession> shards, String cluster) {
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("A cluster needs a name");
        }
        return new ReconcilerTopology(coordinator, shards, cluster);
    }

    boolean clustered() {
        return !cluster.isEmpty();
    }

    /** The clause that makes a DDL statement run on every node: nothing on one node. */
    String onCluster() {
        return clustered() ? " ON CLUSTER " + cluster : "";
    }

    /** A table the reconciler writes itself (its run records): in the cluster, the coordinator's shard's copy. */
    String ownTable(String table) {
        return clustered() ? table + "_local" : table;
    }
}
