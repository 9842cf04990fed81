package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP contract of the endpoint over a recording engine; the real engine behind it is in the stack's test. */
class ClickHouseHttpEndpointTests {

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private ClickHouseHttpEndpoint endpoint;

    @BeforeEach
    void start() {
        endpoint = ClickHouseHttpEndpoint.start(0, (sql, format) -> {
            if (sql.contains("boom")) {
                throw new IllegalStateException("Code: 47. DB::Exception: Unknown identifier boom");
            }
            received.add(format + "|" + sql);
            return "result in " + format + "\n";
        });
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void getRunsTheQueryParameterInTabSeparatedByDefault() throws Exception {
        var response = get("?query=" + encode("SELECT 1"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("result in TabSeparated\n");
        assertThat(received).containsExactly("TabSeparated|SELECT 1");
    }

    @Test
    void postBodyIsAppendedToTheQueryParameterAndDefaultFormatApplies() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(endpoint.baseUri().resolve("?default_format=JSONEachRow&query=SELECT"))
                        .POST(HttpRequest.BodyPublishers.ofString("1 AS x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(received).containsExactly("JSONEachRow|SELECT\n1 AS x");
    }

    @Test
    void aFormatClauseWinsOverDefaultFormat() throws Exception {
        get("?default_format=CSV&query=" + encode("SELECT 1 FORMAT JSON"));
        assertThat(received).containsExactly("JSON|SELECT 1 FORMAT JSON");
    }

    @Test
    void writesAreRefusedBeforeTheEngineSeesThem() throws Exception {
        var response = get("?query=" + encode("DROP TABLE analytics.request_metrics"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("Read-only", "DROP");
        assertThat(received).isEmpty();
    }

    @Test
    void engineErrorsComeBackAsClickHouseTextWith400() throws Exception {
        var response = get("?query=" + encode("SELECT boom"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("Code: 47. DB::Exception");
    }

    @Test
    void pingAnswersOk() throws Exception {
        assertThat(get("ping").body()).isEqualTo("Ok.\n");
        assertThat(get("other").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        URI uri = endpoint.baseUri().resolve(pathAndQuery);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
