package io.chanalytics.clickhouse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements with which the reconciler pauses and resumes a stream, in both topologies, parsed by the real engine
 * ({@code formatQuery}: the cluster's {@code ON CLUSTER} forms need Keeper to run, not to parse), and the single-node
 * ones run.
 */
class ReconcilerStatementsIntegrationTests {

    @TempDir
    Path dataPath;

    @Test
    void pauseAndResumeParseInBothTopologiesAndRunOnOneNode() {
        try (ChDb engine = ChDb.open(dataPath)) {
            SqlSession node = engine;
            var cluster = ReconcilerTopology.cluster(node, List.of(node, node), "chanalytics");
            List<String> statements = new ArrayList<>(RollupReconciler.pauseStatements(cluster, "request_metrics"));
            statements.add(RollupReconciler.resumeStatement(cluster, "request_metrics"));
            List<String> formatted = statements.stream()
                    .map(sql -> engine.query("SELECT formatQuerySingleLine({sql:String})", Map.of("sql", sql))
                            .strip())
                    .toList();
            assertThat(formatted)
                    .containsExactly(
                            "DETACH TABLE analytics.kafka_request_metrics ON CLUSTER chanalytics SYNC",
                            "SYSTEM FLUSH DISTRIBUTED ON CLUSTER chanalytics analytics.request_metrics_local",
                            "ATTACH TABLE IF NOT EXISTS analytics.kafka_request_metrics ON CLUSTER chanalytics");

            engine.execute("CREATE DATABASE analytics");
            engine.execute("CREATE TABLE analytics.kafka_request_metrics (v UInt8) ENGINE = Null");
            var single = ReconcilerTopology.singleNode(node);
            RollupReconciler.pauseStatements(single, "request_metrics").forEach(engine::execute);
            assertThat(engine.queryLong("SELECT count() FROM system.tables WHERE name = 'kafka_request_metrics'"))
                    .as("paused")
                    .isZero();
            engine.execute(RollupReconciler.resumeStatement(single, "request_metrics"));
            engine.execute(RollupReconciler.resumeStatement(single, "request_metrics"));
            assertThat(engine.queryLong("SELECT count() FROM system.tables WHERE name = 'kafka_request_metrics'"))
                    .as("resumed, and resuming again is harmless")
                    .isOne();
        }
    }
}
