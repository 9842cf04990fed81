package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's rollups as the engine holds them: each materialized view on the stream's Kafka table whose target is an
 * AggregatingMergeTree, with its query, so that whatever recomputes a rollup from the raw rows (the reconciliation,
 * the benchmarks) runs the schema files' own SQL rather than a copy of it.
 */
public final class RollupViews {

    /**
     * A rollup: its table, its view's query over the stream's Kafka table, its columns in table order (an INSERT ...
     * SELECT takes columns by position, the view by name), and its time column with that column's grain in seconds.
     */
    public record Rollup(String table, String select, String columns, String timeColumn, int grainSeconds) {

        /** The view's query reading {@code source} (a table or a parenthesized subquery) instead of the Kafka table. */
        public String selectFrom(String stream, String source) {
            return select.replace("analytics.kafka_" + stream, source);
        }
    }

    private RollupViews() {}

    /** The rollups {@code stream} feeds, by table name. */
    public static List<Rollup> of(SqlSession clickHouse, String stream) {
        List<Rollup> rollups = new ArrayList<>();
        String views = clickHouse.query(
                "SELECT v.name, t.name FROM system.tables AS v"
                        + " JOIN system.tables AS t ON t.database = 'analytics'"
                        + " AND t.name = extract(v.create_table_query, ' TO analytics\\\\.(\\\\w+)')"
                        + " WHERE v.database = 'analytics' AND v.engine = 'MaterializedView'"
                        + " AND t.engine LIKE '%AggregatingMergeTree'"
                        + " AND v.name IN (SELECT arrayJoin(dependencies_table) FROM system.tables"
                        + " WHERE database = 'analytics' AND name = {kafka:String}) ORDER BY t.name",
                Map.of("kafka", "kafka_" + stream));
        for (String line : views.lines().toList()) {
            String[] names = line.split("\t");
            // RawBLOB: the query as it is, where TabSeparated would escape its line breaks.
            String select = clickHouse.query(
                    "SELECT as_select FROM system.tables WHERE database = 'analytics' AND name = {view:String}"
                            + " FORMAT RawBLOB",
                    Map.of("view", names[0]));
            List<String> columns = clickHouse
                    .query(
                            "SELECT name FROM system.columns WHERE database = 'analytics' AND table = {table:String}"
                                    + " ORDER BY position",
                            Map.of("table", names[1]))
                    .lines()
                    .toList();
            String timeColumn = columns.getFirst();
            rollups.add(new Rollup(
                    names[1],
                    select,
                    String.join(", ", columns.stream().map(c -> "`" + c + "`").toList()),
                    timeColumn,
                    grainSeconds(names[1], timeColumn)));
        }
        return rollups;
    }

    /**
     * A rollup's grain, named by its first column as every rollup of the schema does: {@code minute} for the minute
     * rollups, {@code hour} for the hourly ones (017).
     */
    private static int grainSeconds(String table, String timeColumn) {
        return switch (timeColumn) {
            case "minute" -> 60;
            case "hour" -> 3600;
            default ->
                throw new IllegalStateException(
                        "Rollup " + table + " starts with " + timeColumn + ", not its time column minute or hour");
        };
    }

    /**
     * The stream's raw table read as its Kafka table, as a parenthesized subquery: columns the raw table stores as
     * another type (response_time_ms, Float32 there, Float64 in the Kafka table) cast back, so the view's aggregate
     * states keep their types; a LowCardinality wrapper is left alone, as it changes no value and casting it away
     * would slow the read. {@code table} is the raw table as read ({@code analytics.<stream>}, with {@code FINAL} for
     * rows without copies); {@code filter}, when not blank, a WHERE condition on its rows.
     */
    public static String rawAsKafka(SqlSession clickHouse, String stream, String table, String filter) {
        Map<String, String> kafkaTypes = columnTypes(clickHouse, "kafka_" + stream);
        List<String> casts = new ArrayList<>();
        columnTypes(clickHouse, stream).forEach((column, type) -> {
            String kafkaType = kafkaTypes.get(column);
            if (kafkaType != null && !withoutLowCardinality(type).equals(withoutLowCardinality(kafkaType))) {
                casts.add("CAST(`" + column + "` AS " + kafkaType + ") AS `" + column + "`");
            }
        });
        return "(SELECT *" + (casts.isEmpty() ? "" : " REPLACE (" + String.join(", ", casts) + ")")
                + ", '' AS _error FROM " + table + (filter.isBlank() ? "" : " WHERE " + filter) + ")";
    }

    private static Map<String, String> columnTypes(SqlSession clickHouse, String table) {
        Map<String, String> types = new LinkedHashMap<>();
        clickHouse
                .query(
                        "SELECT name, type FROM system.columns WHERE database = 'analytics' AND table = {table:String}",
                        Map.of("table", table))
                .lines()
                .map(line -> line.split("\t", 2))
                .forEach(cells -> types.put(cells[0], cells[1]));
        return types;
    }

    private static String withoutLowCardinality(String type) {
        return type.replaceAll("LowCardinality\\((.*)\\)", "$1");
    }
}
