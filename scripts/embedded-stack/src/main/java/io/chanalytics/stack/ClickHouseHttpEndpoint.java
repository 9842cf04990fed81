package io.chanalytics.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of ClickHouse's HTTP interface people use with {@code curl}: {@code GET /?query=...}, {@code POST /}
 * with the query as body (appended to a {@code query} parameter, as ClickHouse does), {@code default_format} and a
 * trailing {@code FORMAT} clause, and {@code GET /ping}. chDB has no listener of its own, so the embedded stack
 * offers this on port 8123; only read-only statements are accepted ({@link ReadOnlyQuery}). Errors come back as
 * plain text like ClickHouse's own, because the clients of this endpoint are ClickHouse clients.
 */
public final class ClickHouseHttpEndpoint implements AutoCloseable {

    static final String DEFAULT_FORMAT = "TabSeparated";

    private static final Logger log = LoggerFactory.getLogger(ClickHouseHttpEndpoint.class);
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final QueryEngine engine;

    private ClickHouseHttpEndpoint(HttpServer server, QueryEngine engine) {
        this.server = server;
        this.engine = engine;
    }

    /** Starts on loopback {@code port} (0 picks a free one). */
    public static ClickHouseHttpEndpoint start(int port, QueryEngine engine) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            var endpoint = new ClickHouseHttpEndpoint(server, engine);
            server.createContext("/", endpoint::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the ClickHouse HTTP endpoint on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals("/ping") || (path.equals("/") && method.equals("HEAD"))) {
                send(exchange, 200, "text/plain; charset=UTF-8", "Ok.\n");
                return;
            }
            if (!path.equals("/")) {
                send(exchange, 404, "text/plain; charset=UTF-8", "Unknown path " + path + ": use / or /ping\n");
                return;
            }
            if (!method.equals("GET") && !method.equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                send(exchange, 405, "text/plain; charset=UTF-8", "Use GET or POST\n");
                return;
            }
            Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
            String text = parameters.getOrDefault("query", "");
            if (method.equals("POST")) {
                byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES);
                String bodyText = new String(body, StandardCharsets.UTF_8);
                text = text.isEmpty() ? bodyText : text + "\n" + bodyText;
            }
            answer(exchange, text, parameters.getOrDefault("default_format", DEFAULT_FORMAT));
        } catch (RuntimeException e) {
            log.warn("ClickHouse HTTP endpoint failed", e);
            send(exchange, 500, "text/plain; charset=UTF-8", "Internal error: " + e.getMessage() + "\n");
        }
    }

    private void answer(HttpExchange exchange, String text, String defaultFormat) throws IOException {
        ReadOnlyQuery query;
        try {
            query = ReadOnlyQuery.parse(text);
        } catch (IllegalArgumentException e) {
            send(exchange, 403, "text/plain; charset=UTF-8", e.getMessage() + "\n");
            return;
        }
        String format = query.explicitFormat().orElse(defaultFormat);
        String result;
        try {
            result = engine.query(query.sql(), format);
        } catch (RuntimeException e) {
            // The engine's own message (Code: 62. DB::Exception: Syntax error ...) is what a ClickHouse user expects.
            send(exchange, 400, "text/plain; charset=UTF-8", e.getMessage() + "\n");
            return;
        }
        exchange.getResponseHeaders().set("X-ClickHouse-Format", format);
        send(exchange, 200, contentType(format), result);
    }

    static String contentType(String format) {
        String lower = format.toLowerCase(Locale.ROOT);
        if (lower.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (lower.startsWith("csv")) {
            return "text/csv; charset=UTF-8";
        }
        return "text/plain; charset=UTF-8";
    }

    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
