package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP session against a stand-in that answers as ClickHouse's HTTP interface does: 200 with TabSeparated rows,
 * or an error status with the exception text in the body.
 */
class ClickHouseHttpSessionTests {

    private HttpServer server;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " user="
                    + exchange.getRequestHeaders().getFirst("X-ClickHouse-User") + " key="
                    + exchange.getRequestHeaders().getFirst("X-ClickHouse-Key") + " body=" + body);
            boolean fails = body.contains("missing");
            String text = fails
                    ? "Code: 60. DB::Exception: Unknown table expression identifier 'missing'. (UNKNOWN_TABLE)"
                    : "42\n";
            if (body.contains("midway")) {
                // 25.11 and later: the error after a 200, between tagged markers in the body.
                exchange.getResponseHeaders().set("X-ClickHouse-Exception-Tag", "t4g");
                text = "host-1\t0\n__exception__\r\nt4g\nCode: 159. DB::Exception: Timeout exceeded on host-2."
                        + " (TIMEOUT_EXCEEDED)\n\nt4g\r\n__exception__\n";
            } else if (body.contains("headed")) {
                // The code in a header of a 200 answer, as the server sends it when the error came first.
                exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", "241");
                text = "Code: 241. DB::Exception: Memory limit exceeded. (MEMORY_LIMIT_EXCEEDED)\n";
            }
            byte[] answer = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fails ? 404 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheStatementWithTheCredentialsAndReadsTabSeparatedRows() {
        SqlSession session = session();

        assertThat(session.queryLong("SELECT 42")).isEqualTo(42);
        assertThat(seen)
                .containsExactly(
                        "POST /?default_format=TabSeparated&wait_end_of_query=1 user=analytics key=s3cret body=SELECT 42");
    }

    @Test
    void anErrorStatusIsAnExceptionWithTheServersMessage() {
        assertThatThrownBy(() -> session().execute("SELECT * FROM missing"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("answered 404")
                .hasMessageContaining("UNKNOWN_TABLE");
    }

    /** The schema runner must never take a failed DDL for done: a 200 does not say that the statement succeeded. */
    @Test
    void anErrorAfterA200IsAnExceptionToo() {
        assertThatThrownBy(() -> session().execute("CREATE TABLE midway ON CLUSTER c (x UInt8) ENGINE = Memory"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("TIMEOUT_EXCEEDED");
        assertThatThrownBy(() -> session().execute("SELECT headed"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("241")
                .hasMessageContaining("MEMORY_LIMIT_EXCEEDED");
    }

    @Test
    void anUnreachableServerIsAnExceptionNamingIt() {
        server.stop(0);
        assertThatThrownBy(() -> session().query("SELECT 1"))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("unreachable");
    }

    private SqlSession session() {
        return new ClickHouseHttpSession(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
                "analytics",
                "s3cret",
                Duration.ofSeconds(5));
    }
}
