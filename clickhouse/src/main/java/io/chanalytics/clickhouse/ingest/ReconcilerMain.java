package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The rollup reconciliation next to a ClickHouse server or cluster: the compose stacks' {@code clickhouse-reconciler}
 * runs this (the image of {@code clickhouse-schema}), as the embedded engine runs {@link ReconciliationSchedule}
 * itself. Runs until stopped.
 *
 * <p>Environment: {@code CHANALYTICS_CLICKHOUSE_URL} (default http://localhost:8123), {@code CLICKHOUSE_USER},
 * {@code CLICKHOUSE_PASSWORD} (a user that may detach tables and replace partitions), {@code CH_RECONCILE_INTERVAL_SECONDS}
 * (default {@link RollupReconciler#INTERVAL}), and {@code CH_CLUSTER} in a cluster: the server at the URL coordinates,
 * and each shard's first replica in {@code system.clusters} rebuilds that shard's rollups, reached at the URL's scheme
 * and port on the replica's host.
 */
public final class ReconcilerMain {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private ReconcilerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> environment = System.getenv();
        Duration interval = environment.containsKey("CH_RECONCILE_INTERVAL_SECONDS")
                ? Duration.ofSeconds(Long.parseLong(environment.get("CH_RECONCILE_INTERVAL_SECONDS")))
                : RollupReconciler.INTERVAL;
        URI url = ClickHouseHttpSession.url(environment);
        var server = ClickHouseHttpSession.fromEnvironment(environment, TIMEOUT);
        String cluster = environment.getOrDefault("CH_CLUSTER", "").strip();
        ReconcilerTopology topology = cluster.isEmpty()
                ? ReconcilerTopology.singleNode(server)
                : ReconcilerTopology.cluster(server, shards(server, cluster, environment), cluster);
        System.out.printf(
                "reconciler: rollups of %s%s reconciled every %d s%n",
                url,
                cluster.isEmpty()
                        ? ""
                        : " (cluster " + cluster + ", " + topology.shards().size() + " shards)",
                interval.toSeconds());
        try (var schedule = ReconciliationSchedule.start(topology, interval)) {
            new CountDownLatch(1).await();
        }
    }

    /** A session on each shard's first replica, as the cluster's config lists them. */
    static List<SqlSession> shards(SqlSession server, String cluster, Map<String, String> environment) {
        URI url = ClickHouseHttpSession.url(environment);
        List<SqlSession> shards = new ArrayList<>();
        server.query(
                        "SELECT host_name FROM system.clusters WHERE cluster = {cluster:String} AND replica_num = 1"
                                + " ORDER BY shard_num",
                        Map.of("cluster", cluster))
                .lines()
                .forEach(host -> {
                    Map<String, String> shard = new HashMap<>(environment);
                    shard.put("CHANALYTICS_CLICKHOUSE_URL", url.getScheme() + "://" + host + ":" + url.getPort());
                    shards.add(ClickHouseHttpSession.fromEnvironment(shard, TIMEOUT));
                });
        if (shards.isEmpty()) {
            throw new IllegalStateException("Cluster " + cluster + " has no shard in system.clusters of " + url);
        }
        return shards;
    }
}
