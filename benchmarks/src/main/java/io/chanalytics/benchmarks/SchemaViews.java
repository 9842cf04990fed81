package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.ingest.RollupViews;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema's materialized views as the engine holds them: for the benchmarks that feed the same SELECTs from
 * somewhere else (raw rows, another Kafka table) instead of copying the SQL.
 *
 * @param name the view
 * @param target the table it writes to, {@code analytics.<table>}
 * @param select its SELECT, as stored
 * @param source the Kafka table it reads, {@code analytics.kafka_<stream>}
 * @param aggregates whether its target is an AggregatingMergeTree: a rollup, not the raw table or a ledger
 */
record SchemaViews(String name, String target, String select, String source, boolean aggregates) {

    private static final Pattern TARGET = Pattern.compile("\\bTO\\s+(analytics\\.\\w+)");
    private static final Pattern KAFKA_SOURCE = Pattern.compile("analytics\\.kafka_\\w+");

    /** Every view of {@code analytics} that reads a Kafka table. */
    static List<SchemaViews> readingKafka(ChDb engine) {
        List<SchemaViews> views = new ArrayList<>();
        for (String name : engine.query(
                        "SELECT name FROM system.tables WHERE database = 'analytics' AND engine = 'MaterializedView'"
                                + " ORDER BY name")
                .lines()
                .toList()) {
            Matcher target = TARGET.matcher(text(engine, "create_table_query", name));
            String select = text(engine, "as_select", name);
            Matcher source = KAFKA_SOURCE.matcher(select);
            if (target.find() && source.find()) {
                String engineOfTarget = engine.query(
                                "SELECT engine FROM system.tables WHERE database = 'analytics' AND name = {table:String}",
                                Map.of("table", target.group(1).substring("analytics.".length())))
                        .strip();
                views.add(new SchemaViews(
                        name,
                        target.group(1),
                        select,
                        source.group(),
                        engineOfTarget.endsWith("AggregatingMergeTree")));
            }
        }
        return views;
    }

    /** The stream's raw table: {@code analytics.kafka_request_metrics} feeds {@code analytics.request_metrics}. */
    String rawTable() {
        return source.replace("analytics.kafka_", "analytics.");
    }

    /** Whether the view fills a rollup (not the raw table, not one of the ingest ledgers). */
    boolean fillsRollup() {
        return aggregates;
    }

    /** The SELECT reading {@code replacement} (a table or a parenthesized subquery) instead of its Kafka table. */
    String selectFrom(String replacement) {
        return KAFKA_SOURCE.matcher(select).replaceAll(Matcher.quoteReplacement(replacement));
    }

    /**
     * The raw table read as the view's Kafka table ({@link RollupViews#rawAsKafka}); {@code filter}, when not blank, is
     * a WHERE condition on the raw rows.
     */
    String rawAsKafka(ChDb engine, String filter) {
        return RollupViews.rawAsKafka(engine, source.substring("analytics.kafka_".length()), rawTable(), filter);
    }

    /** The same over every raw row. */
    String rawAsKafka(ChDb engine) {
        return rawAsKafka(engine, "");
    }

    /** TabSeparatedRaw: the statement text as stored, without TabSeparated's escaping of quotes. */
    private static String text(ChDb engine, String column, String view) {
        return engine.query(
                        "SELECT " + column + " FROM system.tables WHERE database = 'analytics' AND name = '" + view
                                + "'",
                        "TabSeparatedRaw")
                .strip();
    }
}
