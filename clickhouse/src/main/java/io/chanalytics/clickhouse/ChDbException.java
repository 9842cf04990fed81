package io.chanalytics.clickhouse;

/** A failure of the embedded ClickHouse engine: the library is missing, a query failed, the engine is closed. */
public class ChDbException extends RuntimeException {

    public ChDbException(String message) {
        super(message);
    }

    public ChDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
