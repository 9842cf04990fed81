package io.chanalytics.clickhouse;

/**
 * Somewhere SQL runs: the embedded engine ({@code engine.ChDb}) or a ClickHouse server over HTTP
 * ({@code schema.ClickHouseHttpSession}). What the schema runner needs of either.
 */
public interface SqlSession {

    /** Runs one statement and returns its result as TabSeparated text without a header. */
    String query(String sql);

    /** Runs a statement whose result does not matter (DDL, INSERT, SYSTEM ...). */
    default void execute(String sql) {
        query(sql);
    }

    /** A single numeric value, e.g. {@code SELECT count() FROM t}. */
    default long queryLong(String sql) {
        return Long.parseLong(query(sql).strip());
    }
}
