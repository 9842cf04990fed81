package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * A ClickHouse server reached over its HTTP interface (port 8123): each statement is the body of a POST, the
 * credentials go in ClickHouse's {@code X-ClickHouse-User} / {@code X-ClickHouse-Key} headers, results come back as
 * TabSeparated. An answer other than 200 is an error carrying the server's message (it names the exception code).
 */
public final class ClickHouseHttpSession implements SqlSession {

    private final URI endpoint;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param timeout how long one statement may take; {@code ON CLUSTER} DDL waits for every node (the server's
     *     {@code distributed_ddl_task_timeout}, 180 s by default)
     */
    public ClickHouseHttpSession(URI url, String user, String password, Duration timeout) {
        String base = url.toString().replaceAll("/+$", "");
        // wait_end_of_query: the server buffers the answer, so an error comes with an error status rather than after
        // a 200 already sent (the checks below still catch one that does).
        this.endpoint = URI.create(base + "/?default_format=" + ChDb.DEFAULT_FORMAT + "&wait_end_of_query=1");
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * The server the environment names, as the compose containers set it: {@code CHANALYTICS_CLICKHOUSE_URL} (default
     * http://localhost:8123), {@code CLICKHOUSE_USER} (default {@code default}), {@code CLICKHOUSE_PASSWORD}.
     */
    public static ClickHouseHttpSession fromEnvironment(Map<String, String> environment, Duration timeout) {
        return new ClickHouseHttpSession(
                url(environment),
                environment.getOrDefault("CLICKHOUSE_USER", "default"),
                environment.getOrDefault("CLICKHOUSE_PASSWORD", ""),
                timeout);
    }

    /** The server's URL as {@link #fromEnvironment} reads it. */
    public static URI url(Map<String, String> environment) {
        return URI.create(environment.getOrDefault("CHANALYTICS_CLICKHOUSE_URL", "http://localhost:8123"));
    }

    /** Parameters travel as {@code param_<name>} URL parameters, which the server binds to {@code {name:Type}}. */
    @Override
    public String query(String sql, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder(endpoint.toString());
        parameters.forEach((name, value) -> url.append("&param_")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(timeout)
                .header("X-ClickHouse-User", user)
                .header("X-ClickHouse-Key", password)
                .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response =
                    client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new ChDbException("ClickHouse at " + endpoint.getAuthority() + " answered "
                        + response.statusCode() + ": " + response.body().strip());
            }
            failIfErrorAfterHeaders(response);
            return response.body();
        } catch (IOException e) {
            // Also an answer cut short, the server's way of ending one whose statement failed midway.
            throw new ChDbException(
                    "ClickHouse at " + endpoint.getAuthority() + " is unreachable or ended its answer early: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChDbException("Interrupted while waiting for ClickHouse at " + endpoint.getAuthority(), e);
        }
    }

    /**
     * An error that came after the server had sent 200: its code in {@code X-ClickHouse-Exception-Code}, or (25.11 and
     * later) the exception between {@code __exception__} markers in the body, tagged with the answer's
     * {@code X-ClickHouse-Exception-Tag}. {@code ON CLUSTER} DDL streams one row per host, so a host's failure comes
     * this way.
     */
    private void failIfErrorAfterHeaders(HttpResponse<String> response) {
        var code = response.headers().firstValue("X-ClickHouse-Exception-Code");
        String body = response.body();
        int marker = body.indexOf("__exception__");
        if (code.isEmpty() && marker < 0) {
            return;
        }
        String exception = marker < 0 ? body : body.substring(marker).replace("__exception__", "");
        throw new ChDbException("ClickHouse at " + endpoint.getAuthority() + " failed after answering 200"
                + code.map(c -> " (exception code " + c + ")").orElse("") + ": " + exception.strip());
    }
}
