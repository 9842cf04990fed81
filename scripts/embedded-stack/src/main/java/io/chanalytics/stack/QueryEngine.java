package io.chanalytics.stack;

/** Runs one SQL statement and returns its result rendered in a ClickHouse output format. */
@FunctionalInterface
public interface QueryEngine {

    String query(String sql, String format);
}
