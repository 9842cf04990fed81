package io.chanalytics.clickhouse.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session on the open engine. chDB gives every connection its own settings ({@code --readonly=1},
 * {@code --max_execution_time=30}, ... when connecting, exactly as if it had run {@code SET}), so a session for
 * untrusted readers is held to the engine's own read-only rules while the engine's owner keeps full rights. A
 * connection runs one statement at a time; separate connections run concurrently.
 */
public final class ChDbConnection implements AutoCloseable {

    private static final int ANALYSIS_SIZE = 16; // chdb_query_analysis_v1: four uint32 fields

    private final ChDbNative lib;
    private final String description;
    private final Runnable onClose;
    private MemorySegment connectionPointer;
    private MemorySegment connection;

    private ChDbConnection(ChDbNative lib, String description, MemorySegment connectionPointer, Runnable onClose) {
        this.lib = lib;
        this.description = description;
        this.onClose = onClose;
        this.connectionPointer = connectionPointer;
        this.connection = connectionPointer.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    /** {@code chdb_connect} with {@code arguments} (the first is the program name), signals left to the JVM. */
    static ChDbConnection connect(ChDbNative lib, String description, List<String> arguments, Runnable onClose) {
        SignalHandlerGuard guard = SignalHandlerGuard.snapshot();
        MemorySegment connectionPointer;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ADDRESS, arguments.size());
            for (int i = 0; i < arguments.size(); i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(arguments.get(i)));
            }
            connectionPointer = (MemorySegment) lib.connect.invokeExact(arguments.size(), argv);
        } catch (Throwable e) {
            throw new ChDbException("chdb_connect failed for " + description, e);
        } finally {
            guard.restore();
        }
        if (connectionPointer.equals(MemorySegment.NULL)
                || connectionPointer
                        .reinterpret(ADDRESS.byteSize())
                        .get(ADDRESS, 0)
                        .equals(MemorySegment.NULL)) {
            throw new ChDbException("chdb_connect returned no connection for " + description
                    + " (is another process using this data path, or is a setting invalid?)");
        }
        return new ChDbConnection(lib, description, connectionPointer, onClose);
    }

    public synchronized boolean isOpen() {
        return connection != null;
    }

    /** Runs one statement; its result is rendered in {@code format} unless the statement names its own. */
    public QueryResult query(String sql, String format) {
        return query(sql, format, Map.of());
    }

    /**
     * Runs one statement with {@code parameters} bound to its {@code {name:Type}} placeholders by the engine
     * (values in the engine's escaped text form, as ClickHouse's HTTP {@code param_name} values are).
     */
    public synchronized QueryResult query(String sql, String format, Map<String, String> parameters) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            byte[] formatBytes = format.getBytes(StandardCharsets.UTF_8);
            MemorySegment sqlSegment = arena.allocateFrom(JAVA_BYTE, sqlBytes);
            MemorySegment formatSegment = arena.allocateFrom(JAVA_BYTE, formatBytes);
            MemorySegment result;
            if (parameters.isEmpty()) {
                result = (MemorySegment) lib.queryN.invokeExact(
                        connection, sqlSegment, (long) sqlBytes.length, formatSegment, (long) formatBytes.length);
            } else {
                Parameters bound = Parameters.allocate(arena, parameters);
                result = (MemorySegment) lib.queryWithParamsN.invokeExact(
                        connection,
                        sqlSegment,
                        (long) sqlBytes.length,
                        formatSegment,
                        (long) formatBytes.length,
                        bound.names(),
                        bound.nameLengths(),
                        bound.values(),
                        bound.valueLengths(),
                        (long) parameters.size());
            }
            if (result.equals(MemorySegment.NULL)) {
                throw new ChDbException("chdb_query_n returned no result for: " + abbreviate(sql));
            }
            try {
                return read(result, sql);
            } finally {
                lib.destroyResult.invokeExact(result);
            }
        } catch (ChDbException e) {
            throw e;
        } catch (Throwable e) {
            throw new ChDbException("chdb_query_n failed for: " + abbreviate(sql), e);
        }
    }

    /** Runs one statement and returns its result as text. */
    public String queryText(String sql, String format) {
        return new String(query(sql, format).data(), StandardCharsets.UTF_8);
    }

    /**
     * What the engine's parser says {@code sql} is, without running it: how many statements, and whether they
     * only read ({@code chdb_classify_query_n}).
     */
    public synchronized StatementClass classify(String sql) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            MemorySegment analysis = arena.allocate(ANALYSIS_SIZE);
            analysis.set(JAVA_INT, 0, ANALYSIS_SIZE);
            int state = (int) lib.classifyQueryN.invokeExact(
                    connection,
                    arena.allocateFrom(JAVA_BYTE, sqlBytes),
                    (long) sqlBytes.length,
                    MemorySegment.NULL,
                    0L,
                    analysis);
            if (state != 0) {
                throw new ChDbException("chdb_classify_query_n failed for: " + abbreviate(sql));
            }
            return new StatementClass(analysis.get(JAVA_INT, 4), StatementClass.Kind.of(analysis.get(JAVA_INT, 12)));
        } catch (ChDbException e) {
            throw e;
        } catch (Throwable e) {
            throw new ChDbException("chdb_classify_query_n failed for: " + abbreviate(sql), e);
        }
    }

    /** Closing the engine's last connection shuts the engine down; {@link ChDb#close()} takes care of the order. */
    @Override
    public void close() {
        synchronized (this) {
            if (connection == null) {
                return;
            }
            SignalHandlerGuard guard = SignalHandlerGuard.snapshot();
            try {
                lib.closeConnection.invokeExact(connectionPointer);
            } catch (Throwable e) {
                throw new ChDbException("chdb_close_conn failed for " + description, e);
            } finally {
                guard.restore();
                connection = null;
                connectionPointer = null;
            }
        }
        onClose.run();
    }

    private QueryResult read(MemorySegment result, String sql) throws Throwable {
        String error = ChDbNative.readCString((MemorySegment) lib.resultError.invokeExact(result));
        if (error != null) {
            throw new ChDbException(error.strip() + "\n  in: " + abbreviate(sql), error.strip());
        }
        long length = (long) lib.resultLength.invokeExact(result);
        MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
        byte[] data = length == 0 || buffer.equals(MemorySegment.NULL)
                ? new byte[0]
                : buffer.reinterpret(length).toArray(JAVA_BYTE);
        return new QueryResult(
                data,
                (long) lib.resultRowsRead.invokeExact(result),
                (long) lib.resultBytesRead.invokeExact(result),
                (long) lib.resultStorageRowsRead.invokeExact(result),
                (long) lib.resultStorageBytesRead.invokeExact(result),
                Duration.ofNanos(Math.round((double) lib.resultElapsed.invokeExact(result) * 1e9)));
    }

    private void requireOpen() {
        if (connection == null) {
            throw new ChDbException("The embedded ClickHouse connection on " + description + " is closed");
        }
    }

    static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    /** The four parallel arrays {@code chdb_query_with_params_n} takes. */
    private record Parameters(
            MemorySegment names, MemorySegment nameLengths, MemorySegment values, MemorySegment valueLengths) {

        static Parameters allocate(Arena arena, Map<String, String> parameters) {
            int count = parameters.size();
            var bound = new Parameters(
                    arena.allocate(ADDRESS, count),
                    arena.allocate(JAVA_LONG, count),
                    arena.allocate(ADDRESS, count),
                    arena.allocate(JAVA_LONG, count));
            List<Map.Entry<String, String>> entries = new ArrayList<>(parameters.entrySet());
            for (int i = 0; i < count; i++) {
                byte[] name = entries.get(i).getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = entries.get(i).getValue().getBytes(StandardCharsets.UTF_8);
                bound.names.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_BYTE, name));
                bound.nameLengths.setAtIndex(JAVA_LONG, i, name.length);
                bound.values.setAtIndex(ADDRESS, i, arena.allocateFrom(JAVA_BYTE, value));
                bound.valueLengths.setAtIndex(JAVA_LONG, i, value.length);
            }
            return bound;
        }
    }
}
