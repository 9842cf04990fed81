package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clickhouse/docker/cluster/cluster.xml} read by the real engine's config processor (the one the server image
 * runs), with each node's environment as docker-compose.cluster.yml sets it: the cluster the schema's cluster mode and
 * its Distributed tables name, its shards and replicas, and the macros its Replicated tables use.
 */
class ClusterConfigIntegrationTests {

    private static final Path CONFIG = Path.of("docker/cluster/cluster.xml");

    @TempDir
    Path workDirectory;

    @Test
    void eachNodeSeesTwoShardsOfTwoReplicasAndItsOwnMacros() throws Exception {
        for (List<String> node : List.of(List.of("1", "clickhouse-2"), List.of("2", "clickhouse-3"))) {
            List<String> results = probe(
                    Map.of("CH_SHARD", node.get(0), "CH_REPLICA", node.get(1), "CH_CLUSTER_SECRET", "s3cret"),
                    "SELECT shard_num, replica_num, host_name, port FROM system.clusters WHERE cluster = 'chanalytics'"
                            + " ORDER BY shard_num, replica_num",
                    "SELECT macro, substitution FROM system.macros ORDER BY macro",
                    // The statement shape the cluster mode emits for every table readers query (SchemaMode).
                    "CREATE TABLE default.t_local (v UInt64) ENGINE = MergeTree ORDER BY v",
                    "CREATE TABLE default.t AS default.t_local ENGINE = Distributed(chanalytics, default, t_local,"
                            + " rand())",
                    "SELECT engine FROM system.tables WHERE database = 'default' AND name = 't'");

            assertThat(results.get(0)).as("system.clusters of node %s", node).isEqualTo("""
                            1\t1\tclickhouse-1\t9000
                            1\t2\tclickhouse-2\t9000
                            2\t1\tclickhouse-3\t9000
                            2\t2\tclickhouse-4\t9000
                            """);
            assertThat(results.get(1))
                    .isEqualTo("cluster\tchanalytics\nreplica\t" + node.get(1) + "\nshard\t" + node.get(0) + "\n");
            assertThat(results.get(4)).isEqualTo("Distributed\n");
        }
    }

    @Test
    void aDistributedTableOverAClusterTheConfigLacksIsRefused() throws Exception {
        List<String> results = probe(
                Map.of("CH_SHARD", "1", "CH_REPLICA", "clickhouse-1", "CH_CLUSTER_SECRET", "s3cret"),
                "CREATE TABLE default.t_local (v UInt64) ENGINE = MergeTree ORDER BY v",
                "CREATE TABLE default.t AS default.t_local ENGINE = Distributed(elsewhere, default, t_local, rand())");

        assertThat(String.join("", results)).contains("elsewhere");
    }

    /**
     * The compose servers' memory bound (clickhouse/docker/config.d/memory.xml, mounted by both compose files) is a
     * server setting the engine reads under that name: a misspelt key would be ignored silently, and the server would
     * keep its default share (0.9).
     */
    @Test
    void theServersMemoryShareIsASettingTheEngineReads() throws Exception {
        List<String> results = probe(
                Path.of("docker/config.d/memory.xml"),
                Map.of(),
                "SELECT value, changed FROM system.server_settings WHERE name = 'max_server_memory_usage_to_ram_ratio'");

        assertThat(results.getFirst()).isEqualTo("0.8\t1\n");
    }

    private List<String> probe(Map<String, String> environment, String... statements)
            throws IOException, InterruptedException {
        return probe(CONFIG, environment, statements);
    }

    private List<String> probe(Path config, Map<String, String> environment, String... statements)
            throws IOException, InterruptedException {
        return ConfigProbe.run(workDirectory, config, environment, List.of(statements));
    }
}
