package io.chanalytics.stack.clickhouse;

import java.time.Duration;

/**
 * What one reader may cost the engine that also ingests: every query on the HTTP interface runs with these as the
 * engine's own limits ({@code max_execution_time}, {@code max_result_rows}, {@code max_result_bytes}, all with
 * {@code overflow_mode = throw}); a client may lower them per request, never raise them. Queries beyond
 * {@code maxConcurrentQueries} are refused at once, as ClickHouse's {@code max_concurrent_queries} does.
 */
public record QueryLimits(
        Duration maxExecutionTime, long maxResultRows, long maxResultBytes, int maxConcurrentQueries) {

    /**
     * 60 s is what the Grafana plugin asks for with the datasource's 55 s timeout (the compose profile's ceiling);
     * the row limit is the compose profile's; 8 queries keep a 2-core machine ingesting.
     */
    public static final QueryLimits DEFAULTS = new QueryLimits(Duration.ofSeconds(60), 1_000_000, 256L << 20, 8);

    public QueryLimits {
        if (maxExecutionTime.toSeconds() < 1 || maxResultRows < 1 || maxResultBytes < 1 || maxConcurrentQueries < 1) {
            throw new IllegalArgumentException("Query limits must be positive (execution time in whole seconds): "
                    + maxExecutionTime + ", " + maxResultRows + " rows, " + maxResultBytes + " bytes, "
                    + maxConcurrentQueries + " concurrent queries");
        }
    }
}
