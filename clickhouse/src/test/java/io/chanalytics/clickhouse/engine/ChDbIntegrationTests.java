package io.chanalytics.clickhouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM layer against the real libchdb: queries, errors, close and reopen, the JVM's signal handlers. */
class ChDbIntegrationTests {

    private static final int SIGSEGV = 11;
    private static final int SIGBUS = 7;

    @TempDir
    Path dataPath;

    @Test
    void runsQueriesInTheRequestedFormat() {
        try (ChDb db = ChDb.open(dataPath)) {
            assertThat(db.version()).startsWith("26.7.");
            assertThat(db.query("SELECT number, toString(number * 2) AS s FROM numbers(2)", "JSONEachRow"))
                    .isEqualTo("{\"number\":0,\"s\":\"0\"}\n{\"number\":1,\"s\":\"2\"}\n");
            assertThat(db.query("SELECT 'ä', 1")).isEqualTo("ä\t1\n");
            assertThat(db.query("CREATE DATABASE IF NOT EXISTS empty_result")).isEmpty();
        }
    }

    @Test
    void reportsClickHouseErrorsAsExceptions() {
        try (ChDb db = ChDb.open(dataPath)) {
            assertThatThrownBy(() -> db.query("SELECT * FROM no_such_table"))
                    .isInstanceOf(ChDbException.class)
                    .hasMessageContaining("no_such_table")
                    .hasMessageContaining("UNKNOWN_TABLE");
            assertThat(db.queryLong("SELECT 41 + 1")).isEqualTo(42);
        }
    }

    @Test
    void keepsDataAcrossCloseAndReopenOfTheSameDataPath() {
        try (ChDb db = ChDb.open(dataPath)) {
            db.execute("CREATE DATABASE IF NOT EXISTS reopen");
            db.execute("CREATE TABLE reopen.t (a UInt32) ENGINE = MergeTree ORDER BY a");
            db.execute("INSERT INTO reopen.t VALUES (1), (2)");
        }
        try (ChDb db = ChDb.open(dataPath)) {
            assertThat(db.queryLong("SELECT count() FROM reopen.t")).isEqualTo(2);
            db.execute("INSERT INTO reopen.t VALUES (3)");
            assertThat(db.queryLong("SELECT sum(a) FROM reopen.t")).isEqualTo(6);
        }
    }

    @Test
    void allowsOneOpenEngineAtATime() {
        try (ChDb db = ChDb.open(dataPath)) {
            assertThatThrownBy(() -> ChDb.open(dataPath.resolve("other")))
                    .isInstanceOf(ChDbException.class)
                    .hasMessageContaining("already open");
            assertThat(db.isOpen()).isTrue();
        }
        ChDb closed = ChDb.open(dataPath);
        closed.close();
        assertThatThrownBy(() -> closed.query("SELECT 1"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void leavesTheJvmSignalHandlersInPlace() {
        long segv = SignalHandlerGuard.currentHandler(SIGSEGV);
        long bus = SignalHandlerGuard.currentHandler(SIGBUS);
        try (ChDb db = ChDb.open(dataPath)) {
            db.query("SELECT count() FROM numbers(1000)");
            assertThat(SignalHandlerGuard.currentHandler(SIGSEGV)).isEqualTo(segv);
            assertThat(SignalHandlerGuard.currentHandler(SIGBUS)).isEqualTo(bus);
            // The JIT turns null checks into SIGSEGV traps; without the JVM's handler this loop kills the process.
            int caught = 0;
            for (int i = 0; i < 200_000; i++) {
                try {
                    lengthOf(i % 1000 == 0 ? null : "x");
                } catch (NullPointerException expected) {
                    caught++;
                }
            }
            assertThat(caught).isEqualTo(200);
        }
        assertThat(SignalHandlerGuard.currentHandler(SIGSEGV)).isEqualTo(segv);
    }

    private static int lengthOf(String value) {
        return value.length();
    }
}
