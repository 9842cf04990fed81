package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the request stream's views spend (issue 24, part 1): the rows the schema consumed, handed to the views as the
 * Kafka table hands them (its columns and virtual columns, in offset order, in blocks of one consumer's flush),
 * through a Null table that carries one view at a time. Single-threaded, so each view's time less
 * the push alone is that view's CPU; all of them together is checked against the sum.
 */
final class ViewCosts {

    /** The Kafka engine's virtual columns the views read, with the types it gives them. */
    private static final Map<String, String> VIRTUALS = new LinkedHashMap<>();

    static {
        VIRTUALS.put("_topic", "LowCardinality(String)");
        VIRTUALS.put("_key", "String");
        VIRTUALS.put("_offset", "UInt64");
        VIRTUALS.put("_partition", "UInt64");
        VIRTUALS.put("_timestamp", "Nullable(DateTime)");
        VIRTUALS.put("_timestamp_ms", "Nullable(DateTime64(3))");
        VIRTUALS.put("_headers.name", "Array(String)");
        VIRTUALS.put("_headers.value", "Array(String)");
        VIRTUALS.put("_raw_message", "String");
        VIRTUALS.put("_error", "String");
    }

    private static final String OPTIMIZE_ON = "every view at once, optimize_on_insert = 1";
    private static final String SOURCE = "analytics.view_cost_source";
    private static final String STAGED = "analytics.view_cost_staged";

    private final ChDb engine;
    private final String columns;
    private final String settings;

    private ViewCosts(ChDb engine, String columns, int blockRows) {
        this.engine = engine;
        this.columns = columns;
        this.settings = " SETTINGS max_threads = 1, max_block_size = " + blockRows + ", min_insert_block_size_rows = "
                + blockRows + ", min_insert_block_size_bytes = 0, insert_allow_materialized_columns = 1";
    }

    /**
     * Stages the raw rows of {@code service} (as {@code view.rawAsKafka} reads them back) with the Kafka table's
     * virtual columns, in {@code blockRows}-row blocks, then times {@code rounds} rounds of: the push alone, each view
     * alone, every view; prints the medians.
     */
    static void print(ChDb engine, String service, int blockRows, int rounds) {
        List<SchemaViews> views = SchemaViews.readingKafka(engine).stream()
                .filter(view -> view.source().equals("analytics.kafka_request_metrics"))
                .toList();
        List<String> names = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        for (String line : engine.query(
                        "SELECT name, type FROM system.columns WHERE database = 'analytics'"
                                + " AND table = 'kafka_request_metrics' ORDER BY position",
                        "TabSeparatedRaw")
                .lines()
                .toList()) {
            String[] cells = line.split("\t", 2);
            names.add("`" + cells[0] + "`");
            definitions.add("`" + cells[0] + "` " + cells[1]);
        }
        // MATERIALIZED, so that a view's SELECT * leaves them out, as it leaves out a Kafka table's virtual columns;
        // the push writes them all the same (insert_allow_materialized_columns).
        VIRTUALS.forEach((name, type) -> {
            names.add("`" + name + "`");
            definitions.add("`" + name + "` " + type + " MATERIALIZED defaultValueOfTypeName('" + type + "')");
        });
        var costs = new ViewCosts(engine, String.join(", ", names), blockRows);
        engine.execute("CREATE TABLE " + SOURCE + " (" + String.join(", ", definitions) + ") ENGINE = Null");
        String raw = views.getFirst().rawAsKafka(engine, "service_name = {service:String}");
        engine.query(
                "CREATE TABLE " + STAGED + " ENGINE = Memory AS SELECT " + costs.columns + " FROM (SELECT *,"
                        + " '' AS _key, CAST(_timestamp_ms AS Nullable(DateTime)) AS _timestamp, CAST([] AS Array(String)) AS `_headers.name`,"
                        + " CAST([] AS Array(String)) AS `_headers.value`, '' AS _raw_message FROM (SELECT * EXCEPT (_timestamp, _error),"
                        + " _timestamp AS _timestamp_ms, _error FROM " + raw + ")"
                        // In the order the consumers read them, not the raw table's sort order: a block sorted by the
                        // table's
                        // key already costs its insert far less.
                        + " ORDER BY _partition, _offset)" + costs.settings,
                Map.of("service", service));
        long rows = engine.queryLong("SELECT count() FROM " + STAGED);

        Map<String, List<Double>> millis = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) { // round 0 warms up, not counted
            record(millis, "the push alone (no view)", round, costs.push(List.of()));
            for (SchemaViews view : views) {
                record(millis, view.name(), round, costs.push(List.of(view)));
            }
            record(millis, "every view at once", round, costs.push(views));
            // ClickHouse's default, which merges the rows of an inserted block that share a sort key; the engine runs
            // with optimize_on_insert = 0 (clickhouse/docker/users.d/ingestion.xml).
            record(millis, OPTIMIZE_ON, round, costs.push(views, ", optimize_on_insert = 1"));
        }
        double alone = LoadRuns.median(millis.get("the push alone (no view)"));
        System.out.printf(
                Locale.ROOT,
                "Where the views' cost goes: %,d consumed rows in %,d-row blocks through a Null table with one view,"
                        + " single-threaded, median of %d rounds (the push alone %.0f ms, subtracted)%n",
                rows,
                blockRows,
                rounds,
                alone);
        double sum = 0;
        for (Map.Entry<String, List<Double>> entry : millis.entrySet()) {
            if (entry.getKey().equals("the push alone (no view)")) {
                continue;
            }
            double view = LoadRuns.median(entry.getValue()) - alone;
            if (!entry.getKey().startsWith("every view at once")) {
                sum += view;
            }
            System.out.printf(Locale.ROOT, "  %-45s %7.0f ms %6.2f µs/row%n", entry.getKey(), view, view * 1000 / rows);
        }
        System.out.printf(
                Locale.ROOT, "  %-45s %7.0f ms %6.2f µs/row%n", "sum of the views alone", sum, sum * 1000 / rows);
        engine.execute("DROP TABLE " + STAGED + " SYNC");
        engine.execute("DROP TABLE " + SOURCE + " SYNC");
    }

    private static void record(Map<String, List<Double>> millis, String name, int round, double ms) {
        if (round > 0) {
            millis.computeIfAbsent(name, key -> new ArrayList<>()).add(ms);
        }
    }

    private double push(List<SchemaViews> views) {
        return push(views, "");
    }

    /**
     * Milliseconds to push the staged rows through the source with {@code views} attached to copies of their targets,
     * with {@code moreSettings} (", name = value" or empty) for the insert.
     */
    private double push(List<SchemaViews> views, String moreSettings) {
        try (var copies = new ViewCopies(engine, "_view_cost")) {
            for (SchemaViews view : views) {
                copies.attach(view, SOURCE, view.target() + "_view_cost");
            }
            long started = System.nanoTime();
            engine.execute("INSERT INTO " + SOURCE + " (" + columns + ") SELECT " + columns + " FROM " + STAGED
                    + settings + moreSettings);
            return (System.nanoTime() - started) / 1e6;
        }
    }
}
