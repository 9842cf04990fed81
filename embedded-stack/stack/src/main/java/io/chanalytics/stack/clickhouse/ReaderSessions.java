package io.chanalytics.stack.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.ChDbConnection;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Read-only engine sessions for the HTTP interface, reused across requests: opening one costs a connection to the
 * engine, and most requests ask for the same settings. At most {@code maxConcurrentQueries} run at once; beyond
 * that a request is refused at once ({@code TOO_MANY_SIMULTANEOUS_QUERIES}), so readers cannot queue up behind a
 * slow query and starve the engine's ingestion of CPU.
 */
final class ReaderSessions implements AutoCloseable {

    private final ChDb engine;
    private final int maxConcurrentQueries;
    private final Semaphore running;
    private final Map<ReaderSession, Deque<ChDbConnection>> idle = new HashMap<>();
    private int idleCount;
    private boolean closed;

    ReaderSessions(ChDb engine, int maxConcurrentQueries) {
        this.engine = engine;
        this.maxConcurrentQueries = maxConcurrentQueries;
        this.running = new Semaphore(maxConcurrentQueries);
    }

    /** Runs {@code work} on a session opened with {@code settings}. */
    <T> T with(ReaderSession settings, Function<ChDbConnection, T> work) {
        if (!running.tryAcquire()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.TOO_MANY_SIMULTANEOUS_QUERIES,
                    "Too many simultaneous queries. Maximum: " + maxConcurrentQueries);
        }
        try {
            ChDbConnection session = borrow(settings);
            boolean reusable = false;
            try {
                T result = work.apply(session);
                reusable = true;
                return result;
            } catch (ClickHouseError e) {
                reusable = true; // the engine refused a statement; the session itself is fine
                throw e;
            } finally {
                if (reusable) {
                    giveBack(settings, session);
                } else {
                    session.close();
                }
            }
        } finally {
            running.release();
        }
    }

    private ChDbConnection borrow(ReaderSession settings) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The ClickHouse HTTP interface is closed");
            }
            Deque<ChDbConnection> sessions = idle.get(settings);
            if (sessions != null && !sessions.isEmpty()) {
                idleCount--;
                return sessions.pop();
            }
        }
        ChDbConnection session = engine.connect(settings.connectArguments().toArray(String[]::new));
        try {
            // USE is allowed in read-only mode, and chDB ignores a --database given when connecting.
            session.query("USE " + backQuoted(settings.database()), "TabSeparated");
            return session;
        } catch (ChDbException e) {
            session.close();
            throw e.engineError().map(ClickHouseError::fromEngine).orElseThrow(() -> e);
        }
    }

    private void giveBack(ReaderSession settings, ChDbConnection session) {
        synchronized (this) {
            // Idle sessions beyond what can run at once would only hold memory.
            if (!closed && idleCount < maxConcurrentQueries) {
                idle.computeIfAbsent(settings, key -> new ArrayDeque<>()).push(session);
                idleCount++;
                return;
            }
        }
        session.close();
    }

    @Override
    public synchronized void close() {
        closed = true;
        idle.values().forEach(sessions -> sessions.forEach(ChDbConnection::close));
        idle.clear();
        idleCount = 0;
    }

    static String backQuoted(String identifier) {
        return "`" + identifier.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }
}
