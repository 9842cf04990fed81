package io.chanalytics.clickhouse;

import java.util.Map;

/**
 * Somewhere SQL runs: the embedded engine ({@code engine.ChDb}) or a ClickHouse server over HTTP
 * ({@code schema.ClickHouseHttpSession}). What the schema runner needs of either.
 */
public interface SqlSession {

    /**
     * Runs one statement with {@code parameters} bound by the engine to its {@code {name:Type}} placeholders (a value
     * never becomes SQL text) and returns its result as TabSeparated text without a header.
     */
    String query(String sql, Map<String, String> parameters);

    /** Runs one statement and returns its result as TabSeparated text without a header. */
    default String query(String sql) {
        return query(sql, Map.of());
    }

    /** Runs a statement whose result does not matter (DDL, INSERT, SYSTEM ...). */
    default void execute(String sql) {
        query(sql);
    }

    /** Runs a statement whose result does not matter, with bound parameters. */
    default void execute(String sql, Map<String, String> parameters) {
        query(sql, parameters);
    }

    /** A single numeric value, e.g. {@code SELECT count() FROM t}. */
    default long queryLong(String sql) {
        return Long.parseLong(query(sql).strip());
    }

    /** A single numeric value, with bound parameters. */
    default long queryLong(String sql, Map<String, String> parameters) {
        return Long.parseLong(query(sql, parameters).strip());
    }
}
