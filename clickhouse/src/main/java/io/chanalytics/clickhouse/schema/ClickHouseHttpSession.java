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
        this.endpoint = URI.create(base + "/?default_format=" + ChDb.DEFAULT_FORMAT);
        this.user = user;
        this.password = password;
        this.timeout = timeout;
        this.client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
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
            return response.body();
        } catch (IOException e) {
            throw new ChDbException("ClickHouse at " + endpoint.getAuthority() + " is unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChDbException("Interrupted while waiting for ClickHouse at " + endpoint.getAuthority(), e);
        }
    }
}
