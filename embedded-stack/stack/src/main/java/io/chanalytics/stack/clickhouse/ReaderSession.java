package io.chanalytics.stack.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings a reader's engine session is opened with: its database and its limits. Sessions are pooled by these,
 * because chDB fixes a session's settings when it connects and a read-only session may not change them afterwards.
 */
record ReaderSession(
        String database,
        long maxExecutionSeconds,
        long maxResultRows,
        long maxResultBytes,
        long maxMemoryUsage,
        long maxRowsToRead) {

    static ReaderSession defaults(QueryLimits limits) {
        return new ReaderSession(
                "default",
                limits.maxExecutionTime().toSeconds(),
                limits.maxResultRows(),
                limits.maxResultBytes(),
                limits.maxMemoryUsage(),
                limits.maxRowsToRead());
    }

    /**
     * The {@code chdb_connect} arguments: each a query-level setting of this session. {@code readonly} comes last,
     * since once it holds no other setting may change. {@code async_insert} is the server's default, which the
     * official clients send back ({@code async_insert=0}) and a read-only session must find unchanged.
     */
    List<String> connectArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add("--max_execution_time=" + maxExecutionSeconds);
        arguments.add("--timeout_overflow_mode=throw");
        arguments.add("--max_result_rows=" + maxResultRows);
        arguments.add("--max_result_bytes=" + maxResultBytes);
        arguments.add("--result_overflow_mode=throw");
        // A reader's query stops with MEMORY_LIMIT_EXCEEDED before it can take the memory ingestion needs.
        arguments.add("--max_memory_usage=" + maxMemoryUsage);
        arguments.add("--max_rows_to_read=" + maxRowsToRead);
        arguments.add("--read_overflow_mode=throw");
        arguments.add("--async_insert=0");
        arguments.add("--readonly=1");
        return arguments;
    }
}
