package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster mapping of single statements, and the runner's cluster mode against a recording session. */
class ClusterSchemaTests {

    private final ClusterSchema cluster = new ClusterSchema("chanalytics");

    @Test
    void aMergeTreeTableBecomesReplicatedLocalTablesUnderADistributedTableOfTheSameName() {
        List<String> statements = cluster.map("""
                CREATE TABLE IF NOT EXISTS analytics.rollup (minute DateTime, n AggregateFunction(count))
                ENGINE = AggregatingMergeTree ORDER BY minute""");

        assertThat(statements)
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS analytics.rollup_local ON CLUSTER chanalytics (minute DateTime, n"
                                + " AggregateFunction(count))\nENGINE = ReplicatedAggregatingMergeTree("
                                + "'/clickhouse/tables/{shard}/analytics/rollup_local', '{replica}') ORDER BY minute",
                        "CREATE TABLE IF NOT EXISTS analytics.rollup ON CLUSTER chanalytics AS analytics.rollup_local"
                                + " ENGINE = Distributed(chanalytics, analytics, rollup_local, rand())");
    }

    @Test
    void engineArgumentsFollowThePathAndReplica() {
        assertThat(cluster.map("CREATE TABLE analytics.t (v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY v"))
                .first()
                .asString()
                .contains("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/analytics/t_local',"
                        + " '{replica}', v) ORDER BY v");
    }

    @Test
    void viewsWriteToAndReadFromTheLocalTablesOnly() {
        cluster.map("CREATE TABLE analytics.raw (v UInt64) ENGINE = MergeTree ORDER BY v");
        cluster.map("CREATE TABLE analytics.raw_1m (v UInt64) ENGINE = MergeTree ORDER BY v");

        assertThat(cluster.map(
                        "CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.raw_1m_mv TO analytics.raw_1m AS SELECT v FROM"
                                + " analytics.raw JOIN analytics.raw_kafka USING v"))
                .containsExactly(
                        "CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.raw_1m_mv ON CLUSTER chanalytics TO"
                                + " analytics.raw_1m_local AS SELECT v FROM analytics.raw_local JOIN analytics.raw_kafka USING v");
    }

    @Test
    void otherTablesAndTheDatabaseAreCreatedOnEveryNode() {
        assertThat(cluster.map("CREATE DATABASE IF NOT EXISTS analytics"))
                .containsExactly("CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER chanalytics");
        assertThat(cluster.map("CREATE TABLE IF NOT EXISTS analytics.k (v UInt64) ENGINE = Kafka SETTINGS a = 'b'"))
                .containsExactly(
                        "CREATE TABLE IF NOT EXISTS analytics.k ON CLUSTER chanalytics (v UInt64) ENGINE = Kafka"
                                + " SETTINGS a = 'b'");
        assertThat(cluster.map("CREATE TABLE IF NOT EXISTS analytics.c AS analytics.k ENGINE = Null"))
                .containsExactly("CREATE TABLE IF NOT EXISTS analytics.c ON CLUSTER chanalytics AS analytics.k ENGINE ="
                        + " Null");
    }

    @Test
    void alteringAShardedTableChangesItsLocalTablesAndForColumnsItsDistributedTable() {
        cluster.map("CREATE TABLE analytics.raw (v UInt64) ENGINE = MergeTree ORDER BY v");

        assertThat(cluster.map("ALTER TABLE analytics.raw MODIFY COLUMN v UInt32 CODEC(ZSTD(1))"))
                .containsExactly(
                        "ALTER TABLE analytics.raw_local ON CLUSTER chanalytics MODIFY COLUMN v UInt32 CODEC(ZSTD(1))",
                        "ALTER TABLE analytics.raw ON CLUSTER chanalytics MODIFY COLUMN v UInt32 CODEC(ZSTD(1))");
        assertThat(cluster.map("ALTER TABLE analytics.raw MODIFY TTL toDate(v) + 1"))
                .containsExactly("ALTER TABLE analytics.raw_local ON CLUSTER chanalytics MODIFY TTL toDate(v) + 1");
    }

    @Test
    void droppingAShardedTableDropsBothAndForgetsIt() {
        cluster.map("CREATE TABLE analytics.raw (v UInt64) ENGINE = MergeTree ORDER BY v");

        assertThat(cluster.map("DROP TABLE IF EXISTS analytics.raw"))
                .containsExactly(
                        "DROP TABLE IF EXISTS analytics.raw ON CLUSTER chanalytics SYNC",
                        "DROP TABLE IF EXISTS analytics.raw_local ON CLUSTER chanalytics SYNC");
        assertThat(cluster.map("CREATE MATERIALIZED VIEW analytics.v TO analytics.raw AS SELECT 1 AS v"))
                .first()
                .asString()
                .endsWith("TO analytics.raw AS SELECT 1 AS v");
    }

    @Test
    void aStatementWithoutAMappingIsAnError() {
        assertThatThrownBy(() -> cluster.map("OPTIMIZE TABLE analytics.raw FINAL"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("no mapping")
                .hasMessageContaining("OPTIMIZE TABLE analytics.raw FINAL");
        assertThatThrownBy(() -> new ClusterSchema("two words")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunnerMapsFilesTheLedgerHoldsSoLaterFilesKnowTheShardedTables() {
        RecordingSession session = new RecordingSession(List.of(
                "001_database.sql",
                "002_ingest_errors.sql",
                "003_request_metrics.sql",
                "004_business_events.sql",
                "005_system_metrics.sql",
                "006_request_metrics_1m.sql",
                "007_request_metrics_region_1m.sql",
                "008_business_events_product_1m.sql",
                "009_system_metrics_1m.sql",
                "010_request_metrics_status_1m.sql"));

        SchemaMigrations.fromClasspath().applyOnCluster(session, SchemaVariables.defaults(), "chanalytics");

        assertThat(session.executed)
                .filteredOn(sql -> sql.startsWith("ALTER"))
                .isNotEmpty()
                .allMatch(sql -> sql.startsWith("ALTER TABLE analytics.request_metrics_local ON CLUSTER chanalytics")
                        || sql.startsWith(
                                "ALTER TABLE analytics.request_metrics ON CLUSTER chanalytics MODIFY COLUMN"));
        assertThat(session.executed)
                .filteredOn(sql -> sql.startsWith("INSERT INTO analytics.schema_migrations"))
                .hasSize(3);
        assertThat(session.executed)
                .noneMatch(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS analytics.schema_migrations"));
    }

    @Test
    void onAnEmptyClusterTheLedgerIsOneReplicatedTableOnEveryNode() {
        RecordingSession session = new RecordingSession(null);

        SchemaMigrations.fromClasspath().applyOnCluster(session, SchemaVariables.defaults(), "chanalytics");

        assertThat(session.executed)
                .filteredOn(sql -> sql.startsWith("CREATE TABLE IF NOT EXISTS analytics.schema_migrations"))
                .containsExactly("CREATE TABLE IF NOT EXISTS analytics.schema_migrations ON CLUSTER chanalytics (file"
                        + " String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)) ENGINE ="
                        + " ReplicatedMergeTree('/clickhouse/tables/all/analytics/schema_migrations', '{replica}')"
                        + " ORDER BY file");
        assertThat(session.executed.get(0)).isEqualTo("CREATE DATABASE IF NOT EXISTS analytics ON CLUSTER chanalytics");
        assertThat(session.executed)
                .filteredOn(sql -> sql.startsWith("CREATE") || sql.startsWith("DROP") || sql.startsWith("ALTER"))
                .allMatch(sql -> sql.contains(" ON CLUSTER chanalytics"));
    }

    /** Answers the runner's ledger questions from a fixed list and records every other statement. */
    private static final class RecordingSession implements SqlSession {

        private final List<String> ledger;
        final List<String> executed = new ArrayList<>();

        /** @param ledger the files already applied, or null when there is no ledger table */
        RecordingSession(List<String> ledger) {
            this.ledger = ledger;
        }

        @Override
        public String query(String sql) {
            if (sql.startsWith("EXISTS TABLE")) {
                return ledger == null ? "0\n" : "1\n";
            }
            if (sql.startsWith("SELECT file, checksum")) {
                Map<String, String> checksums = checksums();
                StringBuilder rows = new StringBuilder();
                ledger.forEach(file -> rows.append(file)
                        .append('\t')
                        .append(checksums.get(file))
                        .append('\n'));
                return rows.toString();
            }
            executed.add(sql);
            return "";
        }

        private static Map<String, String> checksums() {
            Map<String, String> checksums = new java.util.HashMap<>();
            for (SqlScript script : SchemaMigrations.fromClasspath().scripts()) {
                checksums.put(script.name(), SchemaMigrations.checksum(script));
            }
            return checksums;
        }
    }
}
