package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

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
 *       in a staging table: its rows for every other minute as they are, and the touched minutes recomputed with the
 *       rollup's own view query over the raw rows without copies;
 *   <li>swaps each partition in with {@code REPLACE PARTITION}, so a reader sees the old rows or the new ones, never
 *       a partition half written, a dip or a double count;
 *   <li>reattaches the Kafka table, and records the run in {@code analytics.rollup_reconciliations}, where the next
 *       run starts.
 * </ol>
 *
 * A rollup's recomputation is its materialized view's own query with the Kafka table replaced by the raw table's
 * {@code FINAL} rows of those minutes: the rollups' definitions stay in their schema files only. Single node (the
 * embedded engine, or a server over HTTP); not thread-safe: one reconciler per database.
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

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("yyyyMM").withZone(ZoneOffset.UTC);
    private static final String STAGING_SUFFIX = "_reconcile";

    // A minute is touched when it falls in one of the redelivered blocks' [first, last] minute ranges.
    private static final String TOUCHED =
            "arrayExists(r -> %s BETWEEN r.1 AND r.2, {touched:Array(Tuple(DateTime, DateTime))})";

    private final SqlSession clickHouse;

    public RollupReconciler(SqlSession clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** Reconciles what every stream's ledger shows read twice since the last run. */
    public List<Reconciliation> reconcile() {
        List<Reconciliation> runs = new ArrayList<>();
        for (String stream : streams()) {
            Instant since = lastRun(stream);
            List<Redeliveries.Redelivery> redeliveries = new Redeliveries(clickHouse).of(stream, since);
            if (!redeliveries.isEmpty()) {
                runs.add(reconcile(stream, redeliveries));
            }
        }
        return runs;
    }

    private Reconciliation reconcile(String stream, List<Redeliveries.Redelivery> redeliveries) {
        String touched = redeliveries.stream()
                .map(r -> "('" + DATE_TIME.format(r.firstMinute()).substring(0, 19) + "','"
                        + DATE_TIME.format(r.lastMinute()).substring(0, 19) + "')")
                .collect(Collectors.joining(",", "[", "]"));
        Instant first = redeliveries.stream()
                .map(Redeliveries.Redelivery::firstMinute)
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant last = redeliveries.stream()
                .map(Redeliveries.Redelivery::lastMinute)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        SortedSet<String> months = new TreeSet<>();
        for (var r : redeliveries) {
            for (Instant month = r.firstMinute(); !month.isAfter(r.lastMinute()); month = nextMonth(month)) {
                months.add(MONTH.format(month));
            }
            months.add(MONTH.format(r.lastMinute()));
        }
        Map<String, String> parameters = Map.of(
                "touched", touched,
                "from", DATE_TIME.format(first),
                "until", DATE_TIME.format(last.plus(Duration.ofMinutes(1))));
        List<Rollup> rollups = rollupsOf(stream);
        String rawAsKafka = rawAsKafkaColumns(stream);
        long rows = 0;
        long pausedAt = System.nanoTime();
        clickHouse.execute("DETACH TABLE analytics.kafka_" + stream);
        Duration paused;
        try {
            for (Rollup rollup : rollups) {
                for (String month : months) {
                    rows += rebuild(stream, rawAsKafka, rollup, month, parameters);
                }
            }
        } finally {
            clickHouse.execute("ATTACH TABLE analytics.kafka_" + stream);
            paused = Duration.ofNanos(System.nanoTime() - pausedAt);
        }
        Instant until = redeliveries.stream()
                .map(Redeliveries.Redelivery::writtenAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        long readAgain = redeliveries.stream()
                .mapToLong(Redeliveries.Redelivery::messagesReadAgain)
                .sum();
        var run = new Reconciliation(
                stream,
                redeliveries.size(),
                readAgain,
                first,
                last,
                rollups.stream().map(Rollup::table).toList(),
                rows,
                paused);
        record(run, until);
        return run;
    }

    /** One month of one rollup rebuilt in a staging table and swapped in; returns the rows written. */
    private long rebuild(
            String stream, String rawAsKafka, Rollup rollup, String month, Map<String, String> parameters) {
        if (!month.matches("\\d{6}")) {
            throw new IllegalArgumentException("not a month partition: " + month);
        }
        String table = "analytics." + rollup.table();
        String staging = table + STAGING_SUFFIX;
        clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        clickHouse.execute("CREATE TABLE " + staging + " AS " + table);
        try {
            Map<String, String> withMonth = new java.util.HashMap<>(parameters);
            withMonth.put("month", month);
            clickHouse.execute(
                    "INSERT INTO " + staging + " SELECT * FROM " + table + " WHERE toYYYYMM(minute) = {month:UInt32}"
                            + " AND NOT " + TOUCHED.formatted("minute"),
                    withMonth);
            String raw = "(SELECT " + rawAsKafka + ", '' AS _error FROM analytics." + stream + " FINAL"
                    + " WHERE timestamp >= {from:DateTime64(3, 'UTC')} AND timestamp < {until:DateTime64(3, 'UTC')}"
                    + " AND " + TOUCHED.formatted("toStartOfMinute(timestamp)") + ")";
            String recomputed = rollup.select().replace("analytics.kafka_" + stream, raw);
            clickHouse.execute(
                    "INSERT INTO " + staging + " SELECT " + rollup.columns() + " FROM (" + recomputed
                            + ") WHERE toYYYYMM(minute) ="
                            + " {month:UInt32}",
                    withMonth);
            long rows = Long.parseLong(
                    clickHouse.query("SELECT count() FROM " + staging).strip());
            clickHouse.execute("ALTER TABLE " + table + " REPLACE PARTITION ID '" + month + "' FROM " + staging);
            return rows;
        } finally {
            clickHouse.execute("DROP TABLE IF EXISTS " + staging);
        }
    }

    /**
     * A rollup a stream feeds: its table, its view's query over the stream's Kafka table, and its columns in table
     * order (an INSERT ... SELECT takes columns by position, the view by name).
     */
    record Rollup(String table, String select, String columns) {}

    /** The stream's views that aggregate (their target is an AggregatingMergeTree), with their queries. */
    List<Rollup> rollupsOf(String stream) {
        List<Rollup> rollups = new ArrayList<>();
        String views = clickHouse.query(
                "SELECT v.name, t.name FROM system.tables AS v"
                        + " JOIN system.tables AS t ON t.database = 'analytics'"
                        + " AND t.name = extract(v.create_table_query, ' TO analytics\\.(\\w+)')"
                        + " WHERE v.database = 'analytics' AND v.engine = 'MaterializedView'"
                        + " AND t.engine LIKE '%AggregatingMergeTree'"
                        + " AND v.name IN (SELECT arrayJoin(dependencies_table) FROM system.tables"
                        + " WHERE database = 'analytics' AND name = {kafka:String}) ORDER BY v.name",
                Map.of("kafka", "kafka_" + stream));
        for (String line : views.lines().toList()) {
            String[] names = line.split("\t");
            // RawBLOB: the query as it is, where TabSeparated would escape its line breaks.
            String select = clickHouse.query(
                    "SELECT as_select FROM system.tables WHERE database = 'analytics' AND name = {view:String}"
                            + " FORMAT RawBLOB",
                    Map.of("view", names[0]));
            String columns = clickHouse
                    .query(
                            "SELECT arrayStringConcat(groupArray(concat('`', name, '`')), ', ') FROM (SELECT name"
                                    + " FROM system.columns WHERE database = 'analytics' AND table = {table:String}"
                                    + " ORDER BY position)",
                            Map.of("table", names[1]))
                    .strip();
            rollups.add(new Rollup(names[1], select, columns));
        }
        return rollups;
    }

    /**
     * The raw table's columns as the Kafka table types them (the raw table may store them smaller, for example
     * Float32 latencies), so that the view's query computes the same aggregate states over either.
     */
    private String rawAsKafkaColumns(String stream) {
        return clickHouse
                .query(
                        "SELECT arrayStringConcat(groupArray(format('CAST(`{0}` AS {1}) AS `{0}`', name, type)), ', ')"
                                + " FROM (SELECT name, type FROM system.columns WHERE database = 'analytics'"
                                + " AND table = {kafka:String} ORDER BY position)",
                        Map.of("kafka", "kafka_" + stream))
                .strip();
    }

    /**
     * The streams the ledger has blocks of. Their names become table names in the statements (kafka_<stream>, the raw
     * table <stream>), which take no parameters there: only a plain name is accepted.
     */
    private List<String> streams() {
        List<String> streams = clickHouse
                .query("SELECT DISTINCT stream FROM analytics.ingest_blocks ORDER BY stream")
                .lines()
                .toList();
        for (String stream : streams) {
            if (!stream.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalStateException("Not a stream name in analytics.ingest_blocks: '" + stream + "'");
            }
        }
        return streams;
    }

    private Instant lastRun(String stream) {
        String until = clickHouse
                .query(
                        "SELECT max(redeliveries_until) FROM analytics.rollup_reconciliations WHERE stream ="
                                + " {stream:String}",
                        Map.of("stream", stream))
                .strip();
        return java.time.LocalDateTime.parse(until.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    }

    private void record(Reconciliation run, Instant until) {
        clickHouse.execute(
                "INSERT INTO analytics.rollup_reconciliations SELECT now64(3), {stream:String},"
                        + " {until:DateTime64(3, 'UTC')}, {redeliveries:UInt32}, {read_again:UInt64},"
                        + " {first:DateTime('UTC')}, {last:DateTime('UTC')}, {rollups:Array(String)}, {rows:UInt64},"
                        + " {paused:UInt32}",
                Map.of(
                        "stream", run.stream(),
                        "until", DATE_TIME.format(until),
                        "redeliveries", Integer.toString(run.redeliveries()),
                        "read_again", Long.toString(run.messagesReadAgain()),
                        "first", DATE_TIME.format(run.firstMinute()).substring(0, 19),
                        "last", DATE_TIME.format(run.lastMinute()).substring(0, 19),
                        "rollups", run.rollups().stream().collect(Collectors.joining("','", "['", "']")),
                        "rows", Long.toString(run.rollupRowsWritten()),
                        "paused", Long.toString(run.paused().toMillis())));
    }

    private static Instant nextMonth(Instant instant) {
        var date =
                instant.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1);
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
