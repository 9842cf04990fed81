package io.chanalytics.stack.clickhouse;

import io.chanalytics.clickhouse.ReaderProfile;
import java.time.Duration;

/**
 * What one reader may cost the engine that also ingests: every query on the HTTP interface runs with these as the
 * engine's own limits ({@code max_execution_time}, {@code max_result_rows}, {@code max_result_bytes},
 * {@code max_memory_usage}, {@code max_rows_to_read}, all with {@code overflow_mode = throw}); a client may lower them
 * per request, never raise them. Queries beyond {@code maxConcurrentQueries} are refused at once, as ClickHouse's
 * {@code max_concurrent_queries} does.
 */
public record QueryLimits(
        Duration maxExecutionTime,
        long maxResultRows,
        long maxResultBytes,
        int maxConcurrentQueries,
        long maxMemoryUsage,
        long maxRowsToRead) {

    /**
     * The compose server's read-only profile ({@link ReaderProfile}, one file for both modes): the execution time its
     * constraint allows at most (what the Grafana plugin asks for with the datasource's 55 s timeout), its result rows,
     * memory per query and rows read. Of the embedded interface's own: 256 MB of result, and 8 queries at once, which
     * keep a 2-core machine ingesting.
     */
    public static final QueryLimits DEFAULTS = fromProfile(ReaderProfile.fromClasspath());

    public QueryLimits {
        if (maxExecutionTime.toSeconds() < 1
                || maxResultRows < 1
                || maxResultBytes < 1
                || maxConcurrentQueries < 1
                || maxMemoryUsage < 1
                || maxRowsToRead < 1) {
            throw new IllegalArgumentException("Query limits must be positive (execution time in whole seconds): "
                    + maxExecutionTime + ", " + maxResultRows + " rows, " + maxResultBytes + " bytes, "
                    + maxConcurrentQueries + " concurrent queries, " + maxMemoryUsage + " bytes of memory, "
                    + maxRowsToRead + " rows read");
        }
    }

    static QueryLimits fromProfile(ReaderProfile profile) {
        return new QueryLimits(
                Duration.ofSeconds(profile.ceiling("max_execution_time")),
                profile.number("max_result_rows"),
                256L << 20,
                8,
                profile.number("max_memory_usage"),
                profile.number("max_rows_to_read"));
    }

    public QueryLimits withExecutionAndResults(
            Duration executionTime, long resultRows, long resultBytes, int concurrentQueries) {
        return new QueryLimits(
                executionTime, resultRows, resultBytes, concurrentQueries, maxMemoryUsage, maxRowsToRead);
    }
}
