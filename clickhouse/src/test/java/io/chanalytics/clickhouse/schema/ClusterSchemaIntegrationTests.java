package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster mode's statements checked by the real engine's parser ({@code formatQuery} parses and prints a statement
 * without running it, so {@code ON CLUSTER} and Replicated engines need no Keeper here), and compared with the
 * single-node statements they come from: the per-node tables are the single-node tables with a Replicated engine,
 * nothing else changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSchemaIntegrationTests {

    private static final String CLUSTER = "chanalytics";
    private static final Pattern CREATE_LOCAL =
            Pattern.compile("^CREATE TABLE IF NOT EXISTS (\\w+)\\.(\\w+)_local ON CLUSTER " + CLUSTER + " ");
    private static final Pattern REPLICATED_ENGINE = Pattern.compile(
            "ENGINE = Replicated(\\w*MergeTree)\\('/clickhouse/tables/\\{shard}/\\{database}/\\{table}', '\\{replica}'\\)");

    @TempDir
    static Path dataPath;

    private ChDb db;
    private final SchemaMigrations migrations = SchemaMigrations.fromClasspath();
    private final Map<String, String> variables = SchemaVariables.defaults();

    @BeforeAll
    void open() {
        db = ChDb.open(dataPath);
    }

    @AfterAll
    void close() {
        db.close();
    }

    @Test
    void everyClusterStatementParses() {
        Map<String, List<String>> files = migrations.statements(variables, SchemaMode.onCluster(CLUSTER));
        assertThat(files.keySet())
                .containsExactlyElementsOf(
                        migrations.scripts().stream().map(SqlScript::name).toList());
        int statements = 0;
        for (var file : files.entrySet()) {
            for (String statement : file.getValue()) {
                String formatted = format(statement);
                assertThat(formatted).as("%s: %s", file.getKey(), statement).isNotBlank();
                if (!formatted.startsWith("INSERT")) {
                    assertThat(formatted)
                            .as("DDL of %s runs on every node", file.getKey())
                            .contains(" ON CLUSTER " + CLUSTER);
                }
                statements++;
            }
        }
        assertThat(statements).isGreaterThan(40);
    }

    @Test
    void theLocalTablesAreTheSingleNodeTablesWithReplicatedEngines() {
        Map<String, String> singleNode = new java.util.HashMap<>();
        for (List<String> file :
                migrations.statements(variables, SchemaMode.SINGLE_NODE).values()) {
            for (String statement : file) {
                String formatted = format(statement);
                Matcher create = Pattern.compile("^CREATE TABLE IF NOT EXISTS (\\w+\\.\\w+)\\s")
                        .matcher(formatted);
                if (create.find()) {
                    singleNode.put(create.group(1), formatted);
                }
            }
        }
        int compared = 0;
        for (List<String> statements :
                migrations.statements(variables, SchemaMode.onCluster(CLUSTER)).values()) {
            for (String statement : statements) {
                String formatted = format(statement);
                Matcher local = CREATE_LOCAL.matcher(formatted);
                // 018's routers take the raw streams' _local names: Distributed tables, not per-node copies.
                if (!local.find() || formatted.contains("ENGINE = Distributed(")) {
                    continue;
                }
                String table = local.group(1) + "." + local.group(2);
                String asSingleNode = REPLICATED_ENGINE
                        .matcher(formatted.replace(table + "_local ON CLUSTER " + CLUSTER, table))
                        .replaceAll("ENGINE = $1");
                assertThat(asSingleNode).as(table).isEqualTo(singleNode.get(table));
                compared++;
            }
        }
        assertThat(compared).as("raw tables, rollups and ledgers compared").isEqualTo(15);
    }

    @Test
    void readersKeepTheirTableNamesOnDistributedTablesOverEveryShard() {
        List<String> statements = migrations.statements(variables, SchemaMode.onCluster(CLUSTER)).values().stream()
                .flatMap(List::stream)
                .map(this::format)
                .toList();
        for (String table : List.of(
                "request_metrics",
                "request_metrics_1m",
                "business_events_product_1m",
                "system_metrics_1m",
                "request_metrics_service_1m",
                "request_metrics_endpoint_1h",
                "request_metrics_region_1h",
                "ingest_errors",
                "ingest_replays",
                "ingest_blocks")) {
            assertThat(statements)
                    .as(table)
                    .contains("CREATE TABLE IF NOT EXISTS analytics." + table + " ON CLUSTER " + CLUSTER
                            + " AS analytics." + table + "_local ENGINE = Distributed(" + CLUSTER + ", analytics, "
                            + table + "_local, rand())");
        }
        assertThat(statements)
                .filteredOn(sql -> sql.startsWith("CREATE MATERIALIZED VIEW"))
                .hasSize(20)
                .allMatch(sql -> sql.matches("(?s).* TO analytics\\.\\w+_local AS .*"));
    }

    /**
     * Schema file 018: the raw views write to {@code <stream>_local}, which is now a router sharded by the row's
     * identity over the renamed replicated {@code <stream>_shard}; the readers' tables read the shards.
     */
    @Test
    void theRawViewsWriteThroughRoutersShardedByTheRowsIdentity() {
        List<String> statements =
                migrations.statements(variables, SchemaMode.onCluster(CLUSTER)).get("018_sharded_raw_rows.sql").stream()
                        .map(this::format)
                        .toList();
        assertThat(migrations.statements(variables, SchemaMode.SINGLE_NODE).get("018_sharded_raw_rows.sql"))
                .as("a single node has one shard")
                .isEmpty();
        Map<String, String> keys = Map.of(
                "request_metrics", "cityHash64(event_id)",
                "business_events", "cityHash64(event_id)",
                "system_metrics", "cityHash64(instance_id)");
        keys.forEach((stream, key) -> {
            String shard = "analytics." + stream + "_shard";
            assertThat(statements)
                    .as(stream)
                    .containsSubsequence(
                            "DETACH TABLE IF EXISTS analytics.kafka_" + stream + " ON CLUSTER " + CLUSTER + " SYNC",
                            "RENAME TABLE IF EXISTS analytics." + stream + "_local TO " + shard + " ON CLUSTER "
                                    + CLUSTER,
                            "CREATE OR REPLACE TABLE analytics." + stream + " ON CLUSTER " + CLUSTER + " AS " + shard
                                    + " ENGINE = Distributed(" + CLUSTER + ", analytics, " + stream
                                    + "_shard, rand())",
                            "CREATE TABLE IF NOT EXISTS analytics." + stream + "_local ON CLUSTER " + CLUSTER + " AS "
                                    + shard + " ENGINE = Distributed(" + CLUSTER + ", analytics, " + stream
                                    + "_shard, " + key + ")",
                            "ATTACH TABLE IF NOT EXISTS analytics.kafka_" + stream + " ON CLUSTER " + CLUSTER);
        });
    }

    /** The engine's own rendering of a statement; a statement that does not parse fails the test here. */
    private String format(String statement) {
        return db.queryValue("SELECT formatQuerySingleLine($chanalytics$" + statement + "$chanalytics$)")
                .replace("\\'", "'");
    }
}
