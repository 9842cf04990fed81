package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyQueryTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "  select count() from analytics.request_metrics;",
                "WITH 1 AS x SELECT x",
                "(SELECT 1) UNION ALL (SELECT 2)",
                "SHOW TABLES FROM analytics",
                "DESCRIBE TABLE analytics.request_metrics",
                "EXISTS TABLE analytics.request_metrics",
                "EXPLAIN SELECT 1",
                "-- a comment\nSELECT 1",
                "/* why */ SELECT 1"
            })
    void acceptsReadOnlyStatements(String sql) {
        assertThat(ReadOnlyQuery.parse(sql).sql()).doesNotEndWith(";");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "DROP TABLE analytics.request_metrics",
                "insert into analytics.ingest_errors values (1)",
                "ALTER TABLE analytics.request_metrics DELETE WHERE 1",
                "TRUNCATE TABLE analytics.request_metrics",
                "SYSTEM STOP MERGES",
                "SET readonly = 0",
                "CREATE TABLE t (x UInt8) ENGINE = Memory",
                "/* SELECT */ DROP TABLE t",
                "-- SELECT\nDROP TABLE t",
                "SELECT 1; DROP TABLE t",
                "SELECT '--'; DROP TABLE t",
                "SELECT 1 INTO OUTFILE '/tmp/x'",
                "",
                "   ;  "
            })
    void rejectsEverythingElse(String sql) {
        assertThatIllegalArgumentException().isThrownBy(() -> ReadOnlyQuery.parse(sql));
    }

    @org.junit.jupiter.api.Test
    void findsATrailingFormatClause() {
        assertThat(ReadOnlyQuery.parse("SELECT 1 FORMAT JSONEachRow").explicitFormat())
                .contains("JSONEachRow");
        assertThat(ReadOnlyQuery.parse("SELECT format FROM t").explicitFormat()).isEqualTo(Optional.empty());
    }
}
