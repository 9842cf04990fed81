package io.chanalytics.clickhouse.engine;

import java.time.Duration;

/**
 * A statement's result as the engine rendered it, with the counters ClickHouse reports in its
 * {@code X-ClickHouse-Summary} header.
 *
 * @param data the result in the requested format (binary formats included)
 * @param resultRows rows in the result
 * @param resultBytes bytes of the result in the engine's internal form
 * @param readRows rows read from storage
 * @param readBytes bytes read from storage
 * @param elapsed the engine's execution time
 */
public record QueryResult(
        byte[] data, long resultRows, long resultBytes, long readRows, long readBytes, Duration elapsed) {}
