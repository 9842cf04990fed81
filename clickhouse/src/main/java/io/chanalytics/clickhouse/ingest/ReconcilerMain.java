package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The rollup reconciliation next to a ClickHouse server: the compose stack's {@code clickhouse-reconciler} runs this
 * (the image of {@code clickhouse-schema}), as the embedded engine runs {@link ReconciliationSchedule} itself. Runs
 * until stopped.
 *
 * <p>Environment: {@code CHANALYTICS_CLICKHOUSE_URL} (default http://localhost:8123), {@code CLICKHOUSE_USER},
 * {@code CLICKHOUSE_PASSWORD} (a user that may detach tables and replace partitions), {@code CH_RECONCILE_INTERVAL_SECONDS}
 * (default {@link RollupReconciler#INTERVAL}). Refuses {@code CH_CLUSTER}: on shards a block read again can land on
 * another shard, which a per-node rebuild cannot see (docs/scaling.md).
 */
public final class ReconcilerMain {

    private ReconcilerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> environment = System.getenv();
        if (!environment.getOrDefault("CH_CLUSTER", "").isBlank()) {
            System.err.println("reconciler: single node only; CH_CLUSTER is set (docs/scaling.md)");
            System.exit(2);
        }
        Duration interval = environment.containsKey("CH_RECONCILE_INTERVAL_SECONDS")
                ? Duration.ofSeconds(Long.parseLong(environment.get("CH_RECONCILE_INTERVAL_SECONDS")))
                : RollupReconciler.INTERVAL;
        URI url = ClickHouseHttpSession.url(environment);
        var server = ClickHouseHttpSession.fromEnvironment(environment, Duration.ofMinutes(5));
        System.out.printf("reconciler: rollups of %s reconciled every %d s%n", url, interval.toSeconds());
        try (var schedule = ReconciliationSchedule.start(server, interval)) {
            new CountDownLatch(1).await();
        }
    }
}
