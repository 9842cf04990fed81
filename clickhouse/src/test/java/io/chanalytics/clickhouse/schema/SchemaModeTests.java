package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.clickhouse.SqlSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two modes of the schema files' placeholders ({@link SchemaMode}), on small scripts, and the runner's cluster mode
 * against a recording session.
 */
class SchemaModeTests {

    private static final SqlScript RAW = new SqlScript("001_raw.sql", """
            -- a sharded table and its Distributed table in the cluster
            CREATE TABLE IF NOT EXISTS analytics.raw${LOCAL} ${ON_CLUSTER} (v UInt64)
            ENGINE = ${REPLICATED}ReplacingMergeTree${REPLICA} ORDER BY v;

            ${CLUSTER_ONLY}
            CREATE TABLE IF NOT EXISTS analytics.raw ${ON_CLUSTER} AS analytics.raw_local
            ENGINE = Distributed(${CLUSTER}, analytics, raw_local, rand());

            CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.raw_mv ${ON_CLUSTER} TO analytics.raw${LOCAL} AS
            SELECT v FROM analytics.kafka_raw WHERE v > ${CH_MIN};
            """);

    @Test
    void onOneNodeThePlaceholdersVanishAndClusterOnlyStatementsAreLeftOut() {
        List<String> statements = SchemaMode.SINGLE_NODE.statements(RAW, Map.of("CH_MIN", "7"));

        assertThat(statements).hasSize(2);
        assertThat(statements.get(0))
                .isEqualTo(
                        "CREATE TABLE IF NOT EXISTS analytics.raw  (v UInt64)\nENGINE = ReplacingMergeTree ORDER BY v")
                .doesNotContain("${", "_local", "CLUSTER", "Replicated");
        assertThat(statements.get(1))
                .isEqualTo("CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.raw_mv  TO analytics.raw AS\n"
                        + "SELECT v FROM analytics.kafka_raw WHERE v > 7");
    }

    @Test
    void inTheClusterTablesAreReplicatedLocalTablesUnderDistributedOnesAndEveryStatementRunsOnEveryNode() {
        List<String> statements = SchemaMode.onCluster("chanalytics").statements(RAW, Map.of("CH_MIN", "7"));

        assertThat(statements).hasSize(3);
        assertThat(statements.get(0))
                .isEqualTo("CREATE TABLE IF NOT EXISTS analytics.raw_local ON CLUSTER chanalytics (v UInt64)\n"
                        + "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}',"
                        + " '{replica}') ORDER BY v");
        assertThat(statements.get(1))
                .isEqualTo("CREATE TABLE IF NOT EXISTS analytics.raw ON CLUSTER chanalytics AS analytics.raw_local\n"
                        + "ENGINE = Distributed(chanalytics, analytics, raw_local, rand())");
        assertThat(statements.get(2))
                .startsWith("CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.raw_mv ON CLUSTER chanalytics TO"
                        + " analytics.raw_local AS");
    }

    @Test
    void aClusterNeedsAPlainName() {
        assertThatThrownBy(() -> SchemaMode.onCluster("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchemaMode.onCluster(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The schema variables are escaped as string literals; the mode's placeholders are not variables. */
    @Test
    void aSchemaVariableCannotLeaveItsStringLiteral() {
        SqlScript script = new SqlScript("x.sql", "SELECT '${CH_X}' ${ON_CLUSTER}");

        assertThat(SchemaMode.SINGLE_NODE.statements(script, Map.of("CH_X", "a' OR '1")))
                .containsExactly("SELECT 'a\\' OR \\'1'");
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
        // The files after 010 (011-014) run, each recorded in the ledger.
        long later = SchemaMigrations.fromClasspath().scripts().stream()
                .map(SqlScript::name)
                .filter(name -> name.matches("\\d{3}_.*") && name.compareTo("010_request_metrics_status_1m.sql") > 0)
                .count();
        assertThat(later).isGreaterThanOrEqualTo(4);
        assertThat(session.executed)
                .filteredOn(sql -> sql.startsWith("INSERT INTO analytics.schema_migrations"))
                .hasSize((int) later);
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
                        + " ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')"
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
        public String query(String sql, Map<String, String> parameters) {
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
