package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.verify.StackVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The cluster stack of docker-compose.cluster.yml, started as a user starts it (images built from this checkout), then
 * checked by the same stack verifier as the single-node stacks: both APIs through NGINX, the three brokers, the schema
 * applied ON CLUSTER, the scripted session reconciled with the Distributed tables, every dashboard panel through
 * Grafana. Where no Docker engine answers (this project's own CI machines) it is skipped with the reason "no Docker
 * engine"; the cluster files are checked statically there (ClusterComposeFileTests, ClusterSchemaIntegrationTests).
 */
@EnabledIf(value = "dockerAnswers", disabledReason = "no Docker engine")
class ClusterStackContainerTests {

    private static ComposeContainer cluster;

    static boolean dockerAnswers() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @BeforeAll
    static void startTheCluster() {
        cluster = new ComposeContainer(
                        "chanalytics-cluster",
                        RepositoryLayout.root()
                                .resolve("docker-compose.cluster.yml")
                                .toFile())
                .withBuild(true)
                .withRemoveVolumes(true)
                .withStartupTimeout(Duration.ofMinutes(15))
                .waitingFor("nginx", Wait.forHealthcheck())
                .waitingFor("grafana", Wait.forHealthcheck());
        cluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void theStackVerifierPassesOnTheCluster() {
        List<StackVerifier.Check> checks =
                new StackVerifier(StackVerifier.Target.fromEnvironment(name -> null, RepositoryLayout.root())).run();

        assertThat(checks)
                .as(StackVerifier.table(checks))
                .noneMatch(check -> check.outcome() == StackVerifier.Outcome.FAILED)
                .noneMatch(check -> check.outcome() == StackVerifier.Outcome.NOT_CHECKED);
    }

    @Test
    void everyNodeHoldsTheSchemaAndTheRequestConsumersSpreadOverTheNodes() {
        var clickHouse = new ClickHouseHttpSession(
                URI.create("http://localhost:8123"), "analytics", "analytics", Duration.ofSeconds(30));

        assertThat(clickHouse.queryLong("SELECT count() FROM system.clusters WHERE cluster = 'chanalytics'"))
                .isEqualTo(4);
        assertThat(clickHouse.queryLong("SELECT count() FROM clusterAllReplicas(chanalytics, system.tables)"
                        + " WHERE database = 'analytics' AND name = 'request_metrics_shard'"
                        + " AND engine = 'ReplicatedReplacingMergeTree'"))
                .as("nodes with the shard's raw table (018)")
                .isEqualTo(4);
        assertThat(clickHouse.queryLong("SELECT count() FROM clusterAllReplicas(chanalytics, system.tables)"
                        + " WHERE database = 'analytics' AND name = 'request_metrics_local' AND engine = 'Distributed'"
                        + " AND position(engine_full, 'cityHash64(event_id)') > 0"))
                .as("nodes whose raw view writes through the router sharded by event id (018)")
                .isEqualTo(4);
        assertThat(clickHouse.queryLong("SELECT uniqExact(hostName()) FROM clusterAllReplicas(chanalytics,"
                        + " system.kafka_consumers) WHERE database = 'analytics' AND table = 'kafka_request_metrics'"
                        + " AND notEmpty(assignments.topic)"))
                .as("nodes consuming request partitions, one group over the cluster")
                .isGreaterThan(1);
    }

    /**
     * Issue 25 on the real cluster: a closed minute counted twice by request_metrics_1m (its rows inserted again, as a
     * block read twice writes them) and two overlapping blocks in the ledger; clickhouse-reconciler pauses the request
     * stream ON CLUSTER, flushes the routers and rebuilds the minute on each shard from that shard's own raw rows, so
     * the rollup counts every distinct event once again, and the run is recorded.
     */
    @Test
    void aMinuteCountedTwiceIsReconciledOnTheClusterFromEachShardsRawRows() {
        var clickHouse = new ClickHouseHttpSession(
                URI.create("http://localhost:8123"), "analytics", "analytics", Duration.ofSeconds(60));
        String minute = await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(5))
                .until(
                        () -> clickHouse
                                .query("SELECT toString(max(toStartOfMinute(timestamp))) FROM analytics.request_metrics"
                                        + " WHERE timestamp < now() - INTERVAL 2 MINUTE")
                                .strip(),
                        found -> !found.isEmpty() && !found.startsWith("1970"));
        Map<String, String> at = Map.of("minute", minute);
        String rollup =
                "SELECT countMerge(requests) FROM analytics.request_metrics_1m WHERE minute = {minute:DateTime}";
        String events = "SELECT uniqExact(event_id) FROM analytics.request_metrics"
                + " WHERE toStartOfMinute(timestamp) = {minute:DateTime}";
        long distinct = clickHouse.queryLong(events, at);
        long before = clickHouse.queryLong(rollup, at);
        String started = clickHouse.query("SELECT toString(now64(3))").strip();

        clickHouse.query(
                "INSERT INTO analytics.request_metrics_1m SELECT * FROM analytics.request_metrics_1m"
                        + " WHERE minute = {minute:DateTime}",
                at);
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> clickHouse.queryLong(rollup, at), counted -> counted == 2 * before);
        for (int read = 2; read >= 1; read--) {
            clickHouse.query(
                    "INSERT INTO analytics.ingest_blocks SELECT now64(3) - " + read + ", 'request_metrics',"
                            + " 'request-events', 0, 1000000000, 1000000009, 10, {minute:DateTime}, {minute:DateTime}",
                    at);
        }

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(clickHouse.queryLong(rollup, at))
                        .as("requests of %s in request_metrics_1m, against %d distinct events", minute, distinct)
                        .isEqualTo(clickHouse.queryLong(events, at)));
        assertThat(clickHouse.queryLong(
                        "SELECT count() FROM analytics.rollup_reconciliations WHERE stream = 'request_metrics'"
                                + " AND reconciled_at > {started:DateTime64(3)}",
                        Map.of("started", started)))
                .as("reconciliation runs recorded since the minute was doubled")
                .isPositive();
    }
}
