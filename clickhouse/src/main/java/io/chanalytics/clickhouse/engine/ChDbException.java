package io.chanalytics.clickhouse.engine;

import java.util.Optional;

/** A failure of the embedded ClickHouse engine: the library is missing, a query failed, the engine is closed. */
public class ChDbException extends RuntimeException {

    private final String engineError;

    public ChDbException(String message) {
        this(message, (String) null);
    }

    public ChDbException(String message, Throwable cause) {
        super(message, cause);
        this.engineError = null;
    }

    /** A statement the engine refused; {@code engineError} is its text as ClickHouse writes it. */
    ChDbException(String message, String engineError) {
        super(message);
        this.engineError = engineError;
    }

    /** The engine's own error text ({@code Code: 62. DB::Exception: ...}) when the engine refused a statement. */
    public Optional<String> engineError() {
        return Optional.ofNullable(engineError);
    }
}
