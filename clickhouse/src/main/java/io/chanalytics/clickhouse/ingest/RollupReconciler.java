package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes the rollups exact again after the Kafka engine read messages twice. The rollups are built incrementally,
 * block by block, so a block read again (a crash or a rebalance between its write and its offset commit) is counted
 * twice by each of them; the raw tables fold the copies ({@code FINAL}). The block ledger ({@link Redeliveries})
 * says which blocks were read again and which event-time minutes they wrote. For each stream with such blocks this:
 *
 * <ol>
 *   <li>pauses the stream: detaches its Kafka table, which writes and commits the block in flight and stops reading
 *       (the broker keeps what arrives meanwhile, and the reattached table goes on from the committed offsets);
 *   <li>for each rollup the stream feeds and each monthly partition the minutes fall in, builds the partition anew
 *       in a staging table: its rows for every other period of its grain (a minute, an hour) as they are, and the
 *       periods the minutes touch recomputed with the rollup's own view query over the raw rows without copies;
 *   <li>swaps each partition in with {@code REPLACE PARTITION}, so a reader sees the old rows or the new ones, never
 *       a partition half written, a dip or a double count;
 *   <li>reattaches the Kafka table, and records the run in {@code analytics.rollup_reconciliations}, where the next
 *       run starts.
 * </ol>
 *
 * A rollup's recomputation is its materialized view's own query with the Kafka table replaced by the raw table's
 * {@code FINAL} rows of those periods: the rollups' definitions stay in their schema files only.
 *
 * <p>In a cluster ({@link ReconcilerTopology}) the pause detaches every node's Kafka table and then flushes the raw
 * streams' routers (schema file 018), so every shard holds every raw row that was written; each shard then rebuilds
 * the touched periods of its own rollup partitions from its own raw rows ({@code <stream>_shard}), on one replica
 * (the partition swap replicates). The periods' sums over the shards are then exact: every copy of a message is on one
 * shard and folds there, and an event counted on one shard's rollup before is counted on its raw row's shard after.
 * Not thread-safe: one reconciler per database or cluster.
 */
public final class RollupReconciler {

    /** What one run did for one stream. */
    public record Reconciliation(
            String stream,
            int redeliveries,
            long messagesReadAgain,
            Instant firstMinute,
            Instant lastMinute,
            List<String> rollups,
            long rollupRowsWritten,
            Duration paused) {}

    /**
     * How often the embedded stack runs it: the longest a redelivered block stays counted twice, plus the run itself
     * (2 s at 10,000,000 events, docs/benchmarks.md row 9).
     */
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    /**
     * How long after a check its blocks are looked at again: a block is visible once its insert finished, which may be
     * after a check that began later than the block's {@code written_at}.
     */
    private static final Duration SETTLE = Duration.ofMinutes(1);

    private static final String STAGING_SUFFIX = "_reconcile";

    // A period of the rollup's grain (a minute, an hour; %s is its start in epoch seconds) is touched when it overlaps
    // one of the redelivered blocks' [first, last] minute ranges (epoch seconds).
    private static final String TOUCHED = "arrayExists((f, l) -> %1$s <= l AND %1$s + {grain:UInt32} > f,"
            + " {firsts:Array(UInt32)}, {lasts:Array(UInt32)})";

    // The start of the grain's period a raw row falls in, in epoch seconds.
    private static final String RAW_PERIOD = "intDiv(toUnixTimestamp(timestamp), {grain:UInt32}) * {grain:UInt32}";

    private final ReconcilerTopology topology;
    /** The coordinator: catalog, ledger, pauses and run records. */
    private final SqlSession clickHouse;
    /** Per stream, up to when an earlier check of this instance saw the ledger: the next one starts there. */
    private final Map<String, Instant> checked = new HashMap<>();

    public RollupReconciler(SqlSession clickHouse) {
        this(ReconcilerTopology.singleNode(clickHouse));
    }

    public RollupReconciler(ReconcilerTopology topology) {
        this.topology = topology;
        this.clickHouse = topology.coordinator();
    }

    /** Reconciles what every stream's ledger shows read twice since the last run. */
    public List<Reconciliation> reconcile() {
        List<Reconciliation> runs = new ArrayList<>();
        for (String stream : streams()) {
            Instant checking = Instant.now().minus(SETTLE);
            Instant since = checked.getOrDefault(stream, Instant.EPOCH);
            if (since.equals(Instant.EPOCH)) {
                since = lastRun(stream);
            }
            List<Redeliveries.Redelivery> redeliveries = new Redeliveries(clickHouse).of(stream, since);
            if (!redeliveries.isEmpty()) {
                Reconciliation run = reconcile(stream, redeliveries);
                runs.add(run);
                checking = latest(checking, lastRun(stream));
            }
            checked.put(stream, latest(since, checking));
        }
        return runs;
    }

    /** The redelivered blocks' minutes, where they fall and what the run records of them. */
    private record Touched(
            String firsts,
            String lasts,
            Instant first,
            Instant last,
            Instant until,
            long readAgain,
            Set<Integer> months) {

        static Touched by(List<Redeliveries.Redelivery> redeliveries) {
            List<String> firsts = new ArrayList<>();
            List<String> lasts = new ArrayList<>();
            Instant first = Instant.MAX;
            Instant last = Instant.MIN;
            Instant until = Instant.MIN;
            long readAgain = 0;
            Set<Integer> months = new TreeSet<>();
            for (var r : redeliveries) {
                firsts.add(Long.toString(r.firstMinute().getEpochSecond()));
                lasts.add(Long.toString(r.lastMinute().getEpochSecond()));
                first = first.isBefore(r.firstMinute()) ? first : r.firstMinute();
                last = last.isAfter(r.lastMinute()) ? last : r.lastMinute();
                until = until.isAfter(r.writtenAt()) ? until : r.writtenAt();
                readAgain += r.messagesReadAgain();
                YearMonth end = YearMonth.from(r.lastMinute().atZone(ZoneOffset.UTC));
                for (YearMonth month = YearMonth.from(r.firstMinute().atZone(ZoneOffset.UTC));
                        !month.isAfter(end);
                        month = month.plusMonths(1)) {
                    months.add(month.getYear() * 100 + month.getMonthValue());
                }
            }
            return new Touched(
                    "[" + String.join(",", firsts) + "]",
                    "[" + String.join(",", lasts) + "]",
                    first,
                    last,
                    until,
                    readAgain,
                    months);
        }

        /**
         * The query parameters every statement of the run binds, for a rollup of the grain ({@code from} and
         * {@code until} bound the raw rows of the touched periods).
         */
        Map<String, String> parameters(int grainSeconds, int month) {
            long from = first.getEpochSecond() / grainSeconds * grainSeconds;
            long until = (last.getEpochSecond() / grainSeconds + 1) * grainSeconds;
            return Map.of(
                    "firsts", firsts,
                    "lasts", lasts,
                    "grain", Integer.toString(grainSeconds),
                    "from", Long.toString(from),
                    "until", Long.toString(until),
                    "month", Integer.toString(month));
        }
    }

    /** A shard's part of a run: its session, its raw rows read as the Kafka table, its rollups of the stream. */
    private record ShardPlan(SqlSession session, String raw, List<RollupViews.Rollup> rollups) {}

    private Reconciliation reconcile(String stream, List<Redeliveries.Redelivery> redeliveries) {
        Touched touched = Touched.by(redeliveries);
        // Read from the catalog before the pause: a detached Kafka table is not in it.
        List<ShardPlan> plans = new ArrayList<>();
        for (SqlSession shard : topology.shards()) {
            String raw = RollupViews.rawAsKafka(
                    shard,
                    stream,
                    rawRows(shard, stream) + " FINAL",
                    "timestamp >= toDateTime({from:UInt32}) AND timestamp < toDateTime({until:UInt32}) AND "
                            + TOUCHED.formatted(RAW_PERIOD));
            plans.add(new ShardPlan(shard, raw, RollupViews.of(shard, stream)));
        }
        Set<String> rebuilt = new LinkedHashSet<>();
        long rows = 0;
        long pausedAt = System.nanoTime();
        Duration paused;
        try {
            pause(stream);
            for (ShardPlan plan : plans) {
                for (RollupViews.Rollup rollup : plan.rollups()) {
                    for (int month : touched.months()) {
                        rows += rebuild(plan.session(), rollup, rollup.selectFrom(stream, plan.raw()), touched, month);
                    }
                    rebuilt.add(rollup.table());
                }
            }
        } finally {
            clickHouse.execute(resumeStatement(topology, stream));
            paused = Duration.ofNanos(System.nanoTime() - pausedAt);
        }
        var run = new Reconciliation(
                stream,
                redeliveries.size(),
                touched.readAgain(),
                touched.first(),
                touched.last(),
                List.copyOf(rebuilt),
                rows,
                paused);
        record(run, touched.until());
        return run;
    }

    /**
     * Stops the stream: its Kafka table detached (on every node in a cluster: the block in flight is written and
     * committed), then in a cluster the raw rows still on their way sent to their shards (018's router).
     */
    private void pause(String stream) {
        pauseStatements(topology, stream).forEach(clickHouse::execute);
    }

    static List<String> pauseStatements(ReconcilerTopology topology, String stream) {
        String detach = "DETACH TABLE analytics.kafka_" + stream + topology.onCluster();
        return topology.clustered()
                ? List.of(
                        detach + " SYNC",
                        "SYSTEM FLUSH DISTRIBUTED analytics." + stream + "_local" + topology.onCluster())
                : List.of(detach);
    }

    /** Resumes the stream, also after a pause that failed halfway (a router that could not reach its shard). */
    static String resumeStatement(ReconcilerTopology topology, String stream) {
        return "ATTACH TABLE IF NOT EXISTS analytics.kafka_" + stream + topology.onCluster();
    }

    /** Where a shard keeps the stream's raw rows: {@code <stream>_shard} in the cluster (018), else {@code <stream>}. */
    private static String rawRows(SqlSession shard, String stream) {
        boolean sharded = shard.queryLong(
                        "SELECT count() FROM system.tables WHERE database = 'analytics' AND name = {name:String}",
                        Map.of("name", stream + "_shard"))
                > 0;
        return "analytics." + stream + (sharded ? "_shard" : "");
    }

    /**
     * One month of one rollup rebuilt in a staging table (its other periods as they are, the touched ones from
     * {@code recomputed}) and swapped in; returns the rows written.
     */
    private static long rebuild(
            SqlSession clickHouse, RollupViews.Rollup rollup, String recomputed, Touched touched, int month) {
        String table = "analytics." + rollup.table();
        String staging = table + STAGING_SUFFIX;
        String time = "`" + rollup.timeColumn() + "`";
        Map<String, String> parameters = touched.parameters(rollup.grainSeconds(), month);
        clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        clickHouse.execute(
                "CREATE TABLE " + staging + " AS " + table + " ENGINE = " + stagingEngine(clickHouse, rollup));
        try {
            clickHouse.execute(
                    "INSERT INTO " + staging + " SELECT * FROM " + table + " WHERE toYYYYMM(" + time
                            + ") = {month:UInt32} AND NOT " + TOUCHED.formatted("toUInt32(" + time + ")"),
                    parameters);
            clickHouse.execute(
                    "INSERT INTO " + staging + " SELECT " + rollup.columns() + " FROM (" + recomputed
                            + ") WHERE toYYYYMM(" + time + ") = {month:UInt32}",
                    parameters);
            long rows = clickHouse.queryLong("SELECT count() FROM " + staging);
            clickHouse.execute(
                    "ALTER TABLE " + table + " REPLACE PARTITION {month:UInt32} FROM " + staging, parameters);
            return rows;
        } finally {
            clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        }
    }

    /**
     * The rollup's engine without replication: a staging table of a replicated rollup must not join its replicas'
     * Keeper path; the swap into the replicated table replicates.
     */
    private static String stagingEngine(SqlSession clickHouse, RollupViews.Rollup rollup) {
        return clickHouse
                .query(
                        "SELECT engine_full FROM system.tables WHERE database = 'analytics' AND name = {name:String}",
                        Map.of("name", rollup.table()))
                .strip()
                .replaceFirst("^Replicated(\\w*MergeTree)\\('[^']*', '[^']*'\\)", "$1");
    }

    /**
     * The streams: one per Kafka table of {@code analytics} ({@code kafka_<stream>}), read from the catalog rather
     * than the ledger, which grows with every block. The names become table names in the statements, which take no
     * parameters there: only a plain name is accepted.
     */
    private List<String> streams() {
        List<String> streams = clickHouse
                .query("SELECT substring(name, 7) FROM system.tables WHERE database = 'analytics' AND engine = 'Kafka'"
                        + " AND startsWith(name, 'kafka_') ORDER BY name")
                .lines()
                .toList();
        for (String stream : streams) {
            if (!stream.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalStateException("Not a stream name: " + stream);
            }
        }
        return streams;
    }

    private Instant lastRun(String stream) {
        return Instant.ofEpochMilli(clickHouse.queryLong(
                "SELECT toUnixTimestamp64Milli(max(redeliveries_until)) FROM analytics."
                        + topology.ownTable("rollup_reconciliations") + " WHERE stream = {stream:String}",
                Map.of("stream", stream)));
    }

    private void record(Reconciliation run, Instant until) {
        clickHouse.execute(
                "INSERT INTO analytics." + topology.ownTable("rollup_reconciliations")
                        + " SELECT now64(3), {stream:String},"
                        + " fromUnixTimestamp64Milli({until:Int64}), {redeliveries:UInt32}, {read_again:UInt64},"
                        + " toDateTime({first:UInt32}), toDateTime({last:UInt32}), splitByChar(',', {rollups:String}),"
                        + " {rows:UInt64}, {paused:UInt32}",
                Map.of(
                        "stream", run.stream(),
                        "until", Long.toString(until.toEpochMilli()),
                        "redeliveries", Integer.toString(run.redeliveries()),
                        "read_again", Long.toString(run.messagesReadAgain()),
                        "first", Long.toString(run.firstMinute().getEpochSecond()),
                        "last", Long.toString(run.lastMinute().getEpochSecond()),
                        "rollups", String.join(",", run.rollups()),
                        "rows", Long.toString(run.rollupRowsWritten()),
                        "paused", Long.toString(run.paused().toMillis())));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
