package io.chanalytics.clickhouse.engine;

import io.chanalytics.clickhouse.SqlSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real ClickHouse engine, in this process: chDB (ClickHouse built as {@code libchdb.so}) called through the
 * Foreign Function &amp; Memory API. It has no network port; queries run here, and background work (Kafka engine
 * consumers, materialized views, merges) runs on the engine's own threads while it is open.
 *
 * <p>chDB allows one open engine per process, so {@link #open} refuses a second one until the first is closed.
 * Queries on one connection are serialized; {@link #connect} opens further connections (sessions with their own
 * settings) on the same engine. Closing and reopening in the same process works for plain tables, but not
 * once Kafka engine tables have run: chDB's Kafka engine cannot start again after its shutdown ("Shutdown was
 * called"), so an application opens the engine once and closes it when the process ends; restarting the engine
 * means restarting the process.
 */
public final class ChDb implements SqlSession, AutoCloseable {

    /** The format {@link #query(String)} returns: tab-separated values without a header. */
    public static final String DEFAULT_FORMAT = "TabSeparated";

    private static ChDb current;

    private final ChDbNative lib;
    private final Path dataPath;
    private final ChDbConnection main;
    private final Set<ChDbConnection> sessions = ConcurrentHashMap.newKeySet();

    private ChDb(ChDbNative lib, Path dataPath, ChDbConnection main) {
        this.lib = lib;
        this.dataPath = dataPath;
        this.main = main;
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
        List<String> argumentList = new ArrayList<>(List.of("clickhouse", "--path=" + path));
        argumentList.addAll(List.of(arguments));
        current = new ChDb(lib, path, ChDbConnection.connect(lib, path.toString(), argumentList, () -> {}));
        return current;
    }

    /**
     * Opens another session on this engine with its own query-level settings, e.g. {@code --readonly=1}: chDB
     * applies them to that connection only. The session is closed with the engine if not before.
     */
    public ChDbConnection connect(String... settingArguments) {
        List<String> argumentList = new ArrayList<>(List.of("clickhouse", "--path=" + dataPath));
        argumentList.addAll(List.of(settingArguments));
        synchronized (this) {
            if (!main.isOpen()) {
                throw new ChDbException("The embedded ClickHouse engine on " + dataPath + " is closed");
            }
            var holder = new ChDbConnection[1];
            ChDbConnection session =
                    ChDbConnection.connect(lib, dataPath.toString(), argumentList, () -> sessions.remove(holder[0]));
            holder[0] = session;
            sessions.add(session);
            return session;
        }
    }

    /** The directory the engine keeps its data in. */
    public Path dataPath() {
        return dataPath;
    }

    public boolean isOpen() {
        return main.isOpen();
    }

    /** The ClickHouse version of the loaded library, e.g. {@code 26.7.3.1}. */
    public String version() {
        return query("SELECT version()").strip();
    }

    /** Runs one statement and returns its result as {@link #DEFAULT_FORMAT}. */
    @Override
    public String query(String sql) {
        return query(sql, DEFAULT_FORMAT);
    }

    /** Runs one statement with bound {@code {name:Type}} parameters; the result as {@link #DEFAULT_FORMAT}. */
    @Override
    public String query(String sql, Map<String, String> parameters) {
        if (!main.isOpen()) {
            throw new ChDbException("The embedded ClickHouse engine on " + dataPath + " is closed");
        }
        return new String(main.query(sql, DEFAULT_FORMAT, parameters).data(), StandardCharsets.UTF_8);
    }

    /** Runs one statement and returns its result in a ClickHouse output format (JSONEachRow, CSV, Pretty, ...). */
    public String query(String sql, String format) {
        if (!main.isOpen()) {
            throw new ChDbException("The embedded ClickHouse engine on " + dataPath + " is closed");
        }
        return main.queryText(sql, format);
    }

    /** Runs a statement whose result does not matter (DDL, INSERT, SYSTEM ...). */
    @Override
    public void execute(String sql) {
        query(sql, DEFAULT_FORMAT);
    }

    /** A single value, e.g. {@code SELECT count() FROM t}, as text without the trailing newline. */
    public String queryValue(String sql) {
        return query(sql).strip();
    }

    /** A single numeric value, e.g. {@code SELECT count() FROM t}. */
    @Override
    public long queryLong(String sql) {
        return Long.parseLong(queryValue(sql));
    }

    /**
     * Stops the engine's background work (Kafka consumers commit what they have written) and releases the data
     * path, so the same or another path can be opened again in this process. Sessions opened with
     * {@link #connect} close first: the engine shuts down when its last connection closes.
     */
    @Override
    public void close() {
        synchronized (ChDb.class) {
            synchronized (this) {
                for (ChDbConnection session : List.copyOf(sessions)) {
                    session.close();
                }
                try {
                    main.close();
                } finally {
                    if (current == this) {
                        current = null;
                    }
                }
            }
        }
    }
}
