package io.chanalytics.clickhouse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real ClickHouse engine, in this process: chDB (ClickHouse built as {@code libchdb.so}) called through the
 * Foreign Function &amp; Memory API. It has no network port; queries run here, and background work (Kafka engine
 * consumers, materialized views, merges) runs on the engine's own threads while it is open.
 *
 * <p>chDB allows one open engine per process, so {@link #open} refuses a second one until the first is closed.
 * Queries on one engine are serialized. Closing and reopening in the same process works for plain tables, but not
 * once Kafka engine tables have run: chDB's Kafka engine cannot start again after its shutdown ("Shutdown was
 * called"), so an application opens the engine once and closes it when the process ends; restarting the engine
 * means restarting the process.
 */
public final class ChDb implements AutoCloseable {

    /** The format {@link #query(String)} returns: tab-separated values without a header. */
    public static final String DEFAULT_FORMAT = "TabSeparated";

    private static ChDb current;

    private final ChDbNative lib;
    private final Path dataPath;
    private MemorySegment connectionPointer;
    private MemorySegment connection;

    private ChDb(ChDbNative lib, Path dataPath, MemorySegment connectionPointer) {
        this.lib = lib;
        this.dataPath = dataPath;
        this.connectionPointer = connectionPointer;
        this.connection = connectionPointer.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
    }

    /**
     * Opens the engine on {@code dataPath} (created if missing) with the library {@link ChDbLibraryLocator} finds.
     * {@code arguments} are further {@code clickhouse-local} options, e.g. {@code --config-file=...}.
     */
    public static ChDb open(Path dataPath, String... arguments) {
        return open(ChDbLibraryLocator.forCurrentProcess().locate(), dataPath, arguments);
    }

    /** Opens the engine on {@code dataPath} (created if missing) with the given {@code libchdb.so}. */
    public static synchronized ChDb open(Path library, Path dataPath, String... arguments) {
        if (current != null) {
            throw new ChDbException("An embedded ClickHouse engine is already open on " + current.dataPath
                    + "; chDB allows one per process. Close it first or share it.");
        }
        Path path = dataPath.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new ChDbException("Cannot create the ClickHouse data path " + path, e);
        }
        ChDbNative lib = ChDbNative.load(library);
        SignalHandlerGuard guard = SignalHandlerGuard.snapshot();
        MemorySegment connectionPointer;
        try (Arena arena = Arena.ofConfined()) {
            List<String> argumentList = new ArrayList<>(List.of("clickhouse", "--path=" + path));
            argumentList.addAll(List.of(arguments));
            MemorySegment argv = arena.allocate(ADDRESS, argumentList.size());
            for (int i = 0; i < argumentList.size(); i++) {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(argumentList.get(i)));
            }
            connectionPointer = (MemorySegment) lib.connect.invokeExact(argumentList.size(), argv);
        } catch (Throwable e) {
            throw new ChDbException("chdb_connect failed for " + path, e);
        } finally {
            guard.restore();
        }
        if (connectionPointer.equals(MemorySegment.NULL)
                || connectionPointer
                        .reinterpret(ADDRESS.byteSize())
                        .get(ADDRESS, 0)
                        .equals(MemorySegment.NULL)) {
            throw new ChDbException(
                    "chdb_connect returned no connection for " + path + " (is another process using this data path?)");
        }
        current = new ChDb(lib, path, connectionPointer);
        return current;
    }

    public synchronized boolean isOpen() {
        return connection != null;
    }

    /** The ClickHouse version of the loaded library, e.g. {@code 26.7.3.1}. */
    public String version() {
        return query("SELECT version()").strip();
    }

    /** Runs one statement and returns its result as {@link #DEFAULT_FORMAT}. */
    public String query(String sql) {
        return query(sql, DEFAULT_FORMAT);
    }

    /** Runs one statement and returns its result in a ClickHouse output format (JSONEachRow, CSV, Pretty, ...). */
    public synchronized String query(String sql, String format) {
        if (connection == null) {
            throw new ChDbException("The embedded ClickHouse engine on " + dataPath + " is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            byte[] formatBytes = format.getBytes(StandardCharsets.UTF_8);
            MemorySegment sqlSegment = arena.allocateFrom(JAVA_BYTE, sqlBytes);
            MemorySegment formatSegment = arena.allocateFrom(JAVA_BYTE, formatBytes);
            MemorySegment result = (MemorySegment) lib.queryN.invokeExact(
                    connection, sqlSegment, (long) sqlBytes.length, formatSegment, (long) formatBytes.length);
            if (result.equals(MemorySegment.NULL)) {
                throw new ChDbException("chdb_query_n returned no result for: " + abbreviate(sql));
            }
            try {
                String error = ChDbNative.readCString((MemorySegment) lib.resultError.invokeExact(result));
                if (error != null) {
                    throw new ChDbException(error.strip() + "\n  in: " + abbreviate(sql));
                }
                long length = (long) lib.resultLength.invokeExact(result);
                MemorySegment buffer = (MemorySegment) lib.resultBuffer.invokeExact(result);
                if (length == 0 || buffer.equals(MemorySegment.NULL)) {
                    return "";
                }
                return new String(buffer.reinterpret(length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
            } finally {
                lib.destroyResult.invokeExact(result);
            }
        } catch (ChDbException e) {
            throw e;
        } catch (Throwable e) {
            throw new ChDbException("chdb_query_n failed for: " + abbreviate(sql), e);
        }
    }

    /** Runs a statement whose result does not matter (DDL, INSERT, SYSTEM ...). */
    public void execute(String sql) {
        query(sql, DEFAULT_FORMAT);
    }

    /** A single value, e.g. {@code SELECT count() FROM t}, as text without the trailing newline. */
    public String queryValue(String sql) {
        return query(sql).strip();
    }

    /** A single numeric value, e.g. {@code SELECT count() FROM t}. */
    public long queryLong(String sql) {
        return Long.parseLong(queryValue(sql));
    }

    /**
     * Stops the engine's background work (Kafka consumers commit what they have written) and releases the data
     * path, so the same or another path can be opened again in this process.
     */
    @Override
    public void close() {
        synchronized (ChDb.class) {
            synchronized (this) {
                if (connection == null) {
                    return;
                }
                SignalHandlerGuard guard = SignalHandlerGuard.snapshot();
                try {
                    lib.closeConnection.invokeExact(connectionPointer);
                } catch (Throwable e) {
                    throw new ChDbException("chdb_close_conn failed for " + dataPath, e);
                } finally {
                    guard.restore();
                    connection = null;
                    connectionPointer = null;
                    if (current == this) {
                        current = null;
                    }
                }
            }
        }
    }

    private static String abbreviate(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
