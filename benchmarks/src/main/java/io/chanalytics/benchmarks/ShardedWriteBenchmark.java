package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaMode;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What schema file 018 costs per raw row on the node that consumed it, in the cluster: the raw view's block written
 * through {@code request_metrics_local}, the router sharded by event id (the engine splits the block by shard and
 * stores each part in its spool for sending), against the same block inserted into the shard's table directly, as
 * the raw view did before 018. The cluster's hosts do not exist here, so the spool keeps what it would send; the
 * network and the shard's insert of its part (the work the direct insert does, moved to the shard) need the cluster's
 * servers. Alternated rounds of the same rows (the benchmarks' synthetic request events), medians.
 *
 * <p>Run: {@code scripts/bench.sh sharded-writes [--quick]}.
 */
final class ShardedWriteBenchmark {

    private static final String CLUSTER = "chanalytics";

    private ShardedWriteBenchmark() {}

    public static void main(String[] args) throws IOException {
        boolean quick = List.of(args).contains("--quick");
        long rows = quick ? 100_000 : 2_000_000;
        int rounds = quick ? 1 : 5;
        Path data = Files.createTempDirectory("chanalytics-bench-sharded");
        // Two shards whose hosts refuse connections: the router splits and stores, and its sends wait.
        Path config = data.resolve("cluster.xml");
        Files.writeString(config, """
                <clickhouse><remote_servers><%s>
                  <shard><replica><host>127.0.0.1</host><port>1</port></replica></shard>
                  <shard><replica><host>127.0.0.1</host><port>2</port></replica></shard>
                </%s></remote_servers></clickhouse>
                """.formatted(CLUSTER, CLUSTER));
        try (ChDb engine = ChDb.open(data.resolve("engine"), "--config-file=" + config)) {
            // The request stream's raw tables as the cluster mode makes them (its columns' codecs included), on one
            // engine without Keeper; no Kafka table.
            SchemaMode mode = SchemaMode.onCluster(CLUSTER);
            var files = SchemaMigrations.fromClasspath().statements(SchemaVariables.defaults(), mode);
            for (String file : List.of(
                    "001_database.sql",
                    "003_request_metrics.sql",
                    "011_request_metrics_smaller_columns.sql",
                    "014_request_metrics_smaller_strings.sql",
                    "018_sharded_raw_rows.sql")) {
                files.get(file).stream()
                        .filter(statement -> statement.contains("analytics.request_metrics")
                                || statement.startsWith("CREATE DATABASE"))
                        .filter(statement -> !statement.contains("kafka_"))
                        .map(mode::withoutKeeper)
                        .forEach(engine::execute);
            }
            engine.execute("CREATE TABLE default.block AS analytics.request_metrics_shard ENGINE = Memory");
            Instant end = Instant.now();
            SyntheticEvents.requests(engine, "default.block", rows, end.minus(Duration.ofDays(1)), end);
            run(engine, rows, rounds, quick);
        }
    }

    private static void run(ChDb engine, long rows, int rounds, boolean quick) throws IOException {
        Path spool = Path.of(
                engine.queryValue(
                        "SELECT data_paths[1] FROM system.tables WHERE database = 'analytics' AND name = 'request_metrics_local'"));
        List<Double> direct = new ArrayList<>();
        List<Double> routed = new ArrayList<>();
        long spoolBytes = 0;
        for (int round = 0; round <= rounds; round++) {
            engine.execute("TRUNCATE TABLE analytics.request_metrics_shard");
            double directSeconds =
                    timed(engine, "INSERT INTO analytics.request_metrics_shard SELECT * FROM default.block");
            engine.execute("TRUNCATE TABLE analytics.request_metrics_local");
            double routedSeconds =
                    timed(engine, "INSERT INTO analytics.request_metrics_local SELECT * FROM default.block");
            spoolBytes = bytesUnder(spool);
            if (round > 0) { // round 0 warms both
                direct.add(directSeconds);
                routed.add(routedSeconds);
            }
        }
        double directMedian = LoadRuns.median(direct);
        double routedMedian = LoadRuns.median(routed);
        System.out.printf(
                Locale.ROOT,
                "Sharded writes (018), %,d request rows, %d alternated rounds, medians%s:%n"
                        + "  into the shard's table (the raw view before 018): %.2f s, %,.0f rows/s, %.2f µs a row%n"
                        + "  through the router sharded by event id (2 shards, spool): %.2f s, %,.0f rows/s,"
                        + " %.2f µs a row; spool %.1f bytes a row%n"
                        + "  ratio router / direct: %.2f (time); on the consuming node's cores, before the network%n",
                rows,
                rounds,
                quick ? " (--quick: the figures mean nothing)" : "",
                directMedian,
                rows / directMedian,
                directMedian * 1e6 / rows,
                routedMedian,
                rows / routedMedian,
                routedMedian * 1e6 / rows,
                (double) spoolBytes / rows,
                routedMedian / directMedian);
    }

    private static double timed(ChDb engine, String sql) {
        long started = System.nanoTime();
        engine.execute(sql);
        return (System.nanoTime() - started) / 1e9;
    }

    private static long bytesUnder(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }
}
