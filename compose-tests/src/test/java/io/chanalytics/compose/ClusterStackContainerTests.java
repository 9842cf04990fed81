package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.verify.StackVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
}
