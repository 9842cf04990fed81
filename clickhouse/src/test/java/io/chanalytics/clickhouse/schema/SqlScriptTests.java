package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.clickhouse.engine.ChDbException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTests {

    @Test
    void fillsPlaceholdersAndEscapesQuotes() {
        SqlScript script = new SqlScript("001_x.sql", "SETTINGS a = '${A}', b = ${B}");

        String text = script.substitute(Map.of("A", "it's\\x", "B", "250")).text();

        assertThat(text).isEqualTo("SETTINGS a = 'it\\'s\\\\x', b = 250");
    }

    @Test
    void namesTheFileAndTheVariableWithoutAValue() {
        SqlScript script = new SqlScript("003_request_metrics.sql", "kafka_broker_list = '${CH_MISSING}'");

        assertThatThrownBy(() -> script.substitute(Map.of("CH_OTHER", "x")))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("003_request_metrics.sql")
                .hasMessageContaining("CH_MISSING");
    }

    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        SqlScript script = new SqlScript("001_x.sql", """
                -- a comment; with a semicolon
                CREATE TABLE a (s String DEFAULT ';') ENGINE = Memory;
                /* block; comment */
                INSERT INTO a VALUES ('x\\';y');
                -- trailing comment only;
                """);

        assertThat(script.statements())
                .containsExactly(
                        "-- a comment; with a semicolon\nCREATE TABLE a (s String DEFAULT ';') ENGINE = Memory",
                        "/* block; comment */\nINSERT INTO a VALUES ('x\\';y')");
    }
}
