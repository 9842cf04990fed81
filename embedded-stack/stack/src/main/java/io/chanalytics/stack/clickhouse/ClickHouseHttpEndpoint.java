package io.chanalytics.stack.clickhouse;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.QueryResult;
import io.chanalytics.stack.monitoring.Exposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ClickHouse's HTTP interface for the embedded engine, which has no listener of its own: what ClickHouse documents
 * and its official clients use (the query in the {@code query} parameter and/or the body, chunked or not;
 * {@code database}, {@code default_format}, {@code query_id}, {@code param_*}, settings as parameters; the
 * {@code X-ClickHouse-*} request headers; credentials as ClickHouse takes them; {@code compress},
 * {@code decompress} and {@code enable_http_compression}; the {@code X-ClickHouse-*} response headers; errors
 * with ClickHouse's status codes, {@code X-ClickHouse-Exception-Code} and body; {@code /ping} and
 * {@code /replicas_status}; and {@code /metrics}, what the server's Prometheus handler answers,
 * {@link ClickHouseMetricsPage}). Every query is read-only by the engine's own rules ({@link ReadOnlyQueries}).
 */
public final class ClickHouseHttpEndpoint implements AutoCloseable {

    static final String DEFAULT_FORMAT = "TabSeparated";

    private static final Logger log = LoggerFactory.getLogger(ClickHouseHttpEndpoint.class);
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final Pattern TRAILING_FORMAT = Pattern.compile("(?is)\\s+FORMAT\\s+`?([A-Za-z0-9_]+)`?\\s*;*\\s*$");
    /** Parameters of the protocol itself; every other one (but {@code param_*}) is a setting. */
    private static final Set<String> PROTOCOL_PARAMETERS = Set.of(
            "query",
            "database",
            "default_format",
            "user",
            "password",
            "quota_key",
            "query_id",
            "session_id",
            "session_timeout",
            "session_check",
            "close_session",
            "compress",
            "decompress",
            "buffer_size",
            "wait_end_of_query",
            "stacktrace",
            "role",
            "client_protocol_version",
            "enable_http_compression",
            "http_zlib_compression_level",
            "send_progress_in_http_headers",
            "http_headers_progress_interval_ms");

    static {
        useTcpNoDelay();
    }

    /**
     * Without TCP_NODELAY a POST answer waits out Nagle's algorithm against the client's delayed ACK (about 40 ms).
     * The JDK's HTTP server reads the switch once, when the process's first server starts, so a process that starts
     * another one first (the embedded stack's schema registry) calls this before.
     */
    public static void useTcpNoDelay() {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ClickHouseHttpSettings settings;
    private final ReadOnlyQueries queries;
    private final ClickHouseMetricsPage metrics;
    private final String timezone;
    private final String version;
    private final String displayName;

    private ClickHouseHttpEndpoint(HttpServer server, ClickHouseHttpSettings settings, ChDb engine) {
        this.server = server;
        this.settings = settings;
        this.queries = new ReadOnlyQueries(engine, settings.limits());
        this.metrics = new ClickHouseMetricsPage(engine);
        this.timezone = engine.queryValue("SELECT timezone()");
        this.version = engine.version();
        this.displayName = hostName();
    }

    /** Starts on {@code settings.host():settings.port()} (port 0 picks a free one). */
    public static ClickHouseHttpEndpoint start(ClickHouseHttpSettings settings, ChDb engine) {
        try {
            var server = HttpServer.create(
                    new InetSocketAddress(InetAddress.getByName(settings.host()), settings.port()), 0);
            var endpoint = new ClickHouseHttpEndpoint(server, settings, engine);
            server.createContext("/", endpoint::handle);
            // Platform threads: a query is a native call into the engine, which pins a virtual thread's carrier for
            // its whole run, so two slow queries on a 2-core machine would stall every other request. The threads
            // beyond the query limit answer refusals, pings and errors while queries run.
            server.setExecutor(Executors.newFixedThreadPool(settings.limits().maxConcurrentQueries() + 4));
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the ClickHouse HTTP interface on " + settings.host() + ":" + settings.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + settings.host() + ":" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService executor) {
            executor.shutdownNow();
        }
        queries.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        // The exchange closes after the error is written: try-with-resources would close it before a catch runs.
        try (exchange) {
            try {
                route(exchange);
            } catch (ClickHouseError e) {
                sendError(exchange, e);
            } catch (RuntimeException e) {
                log.warn("ClickHouse HTTP interface failed", e);
                sendError(
                        exchange, ClickHouseError.fromEngine("Code: 1001. DB::Exception: " + e + ". (STD_EXCEPTION)"));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
        boolean noQuery = !parameters.containsKey("query") && method.equals("GET");
        if (path.equals("/metrics") && (method.equals("GET") || method.equals("HEAD"))) {
            // Like the server's Prometheus handler: no credentials, metrics only, never a query.
            send(exchange, 200, Exposition.CONTENT_TYPE, metrics.render().bytes());
        } else if (path.equals("/ping") || path.equals("/replicas_status") || (path.equals("/") && noQuery)) {
            // No replicated tables here, so every replica is up to date.
            send(exchange, 200, "text/plain; charset=UTF-8", bytes("Ok.\n"));
        } else if (!path.equals("/")) {
            send(
                    exchange,
                    404,
                    "text/plain; charset=UTF-8",
                    bytes(
                            "There is no handle " + path
                                    + "\n\nUse / or /ping for health checks.\nOr /replicas_status for more sophisticated"
                                    + " health checks.\n\nSend queries from your program with POST method or GET /?query=...\n"));
        } else if (method.equals("HEAD")) {
            send(exchange, 200, "text/plain; charset=UTF-8", new byte[0]);
        } else if (!method.equals("GET") && !method.equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "GET, POST, HEAD");
            send(exchange, 405, "text/plain; charset=UTF-8", bytes("Use GET or POST\n"));
        } else {
            answer(exchange, method, parameters);
        }
    }

    private void answer(HttpExchange exchange, String method, Map<String, String> parameters) throws IOException {
        Headers headers = exchange.getRequestHeaders();
        HttpCredentials credentials = HttpCredentials.of(headers, parameters);
        if (!credentials.admits(settings)) {
            throw credentials.refusal();
        }
        String text = parameters.getOrDefault("query", "");
        if (method.equals("POST")) {
            String body = new String(requestBody(exchange, flag(parameters, "decompress")), StandardCharsets.UTF_8);
            text = text.isEmpty() ? body : text + "\n" + body;
        }
        String defaultFormat = Optional.ofNullable(parameters.get("default_format"))
                .or(() -> Optional.ofNullable(headers.getFirst("X-ClickHouse-Format")))
                .orElse(DEFAULT_FORMAT);
        String sql = text.strip();
        String format = defaultFormat;
        Matcher trailingFormat = TRAILING_FORMAT.matcher(sql);
        if (trailingFormat.find()) {
            format = trailingFormat.group(1);
            sql = sql.substring(0, trailingFormat.start());
        }
        sql = withoutTrailingSemicolons(sql);
        if (sql.isEmpty()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.SYNTAX_ERROR, "Empty query: pass it as the 'query' parameter or as the body");
        }
        String database = Optional.ofNullable(parameters.get("database"))
                .or(() -> Optional.ofNullable(headers.getFirst("X-ClickHouse-Database")))
                .orElse("default");
        String queryId = Optional.ofNullable(parameters.get("query_id"))
                .or(() -> Optional.ofNullable(headers.getFirst("X-ClickHouse-Query-Id")))
                .filter(id -> !id.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
        var request = new ReadRequest(sql, format, database, settings(parameters), queryParameters(parameters));
        ResponseEncoding encoding = ResponseEncoding.of(
                flag(parameters, "compress"),
                flag(parameters, "enable_http_compression"),
                headers.getFirst("Accept-Encoding"),
                zlibLevel(parameters));
        exchange.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
        QueryResult result = queries.run(request);
        Headers response = exchange.getResponseHeaders();
        response.set("X-ClickHouse-Format", format);
        response.set("X-ClickHouse-Timezone", timezone);
        response.set("X-ClickHouse-Server-Display-Name", displayName);
        response.set("X-ClickHouse-Summary", summary(result));
        encoding.contentEncoding().ifPresent(name -> response.set("Content-Encoding", name));
        send(exchange, 200, contentType(format), encoding.encode(result.data()));
    }

    private static byte[] requestBody(HttpExchange exchange, boolean nativeBlocks) throws IOException {
        String contentEncoding = Optional.ofNullable(
                        exchange.getRequestHeaders().getFirst("Content-Encoding"))
                .map(value -> value.strip().toLowerCase(Locale.ROOT))
                .orElse("");
        InputStream raw = exchange.getRequestBody();
        InputStream decoded = switch (contentEncoding) {
            case "", "identity" -> raw;
            case "gzip" -> new GZIPInputStream(raw);
            case "deflate" -> new InflaterInputStream(raw);
            case "lz4" -> new LZ4FrameInputStream(raw);
            default ->
                throw ClickHouseError.of(
                        ClickHouseError.Code.NOT_IMPLEMENTED,
                        "Content-Encoding " + contentEncoding + " is not supported here: use gzip, deflate"
                                + " or lz4");
        };
        var body = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int read; (read = decoded.read(buffer)) >= 0; ) {
            body.write(buffer, 0, read);
            if (body.size() > MAX_BODY_BYTES) {
                throw ClickHouseError.of(
                        ClickHouseError.Code.SYNTAX_ERROR,
                        "Max query size exceeded: the body is over " + MAX_BODY_BYTES + " bytes");
            }
        }
        return nativeBlocks ? NativeCompression.decompress(body.toByteArray()) : body.toByteArray();
    }

    /** Parameters that are not the protocol's own are settings, as ClickHouse reads them. */
    static Map<String, String> settings(Map<String, String> parameters) {
        Map<String, String> settings = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (!PROTOCOL_PARAMETERS.contains(name) && !name.startsWith("param_")) {
                settings.put(name, value);
            }
        });
        return settings;
    }

    private static Map<String, String> queryParameters(Map<String, String> parameters) {
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (name.startsWith("param_")) {
                values.put(name.substring("param_".length()), value);
            }
        });
        return values;
    }

    private static boolean flag(Map<String, String> parameters, String name) {
        String value = parameters.getOrDefault(name, "0").strip().toLowerCase(Locale.ROOT);
        return value.equals("1") || value.equals("true");
    }

    private static int zlibLevel(Map<String, String> parameters) {
        try {
            return Math.clamp(Integer.parseInt(parameters.getOrDefault("http_zlib_compression_level", "3")), 1, 9);
        } catch (NumberFormatException e) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.BAD_ARGUMENTS, "http_zlib_compression_level must be a number from 1 to 9");
        }
    }

    private static String summary(QueryResult result) {
        return "{\"read_rows\":\"%d\",\"read_bytes\":\"%d\",\"written_rows\":\"0\",\"written_bytes\":\"0\","
                        .formatted(result.readRows(), result.readBytes())
                + "\"total_rows_to_read\":\"%d\",\"result_rows\":\"%d\",\"result_bytes\":\"%d\",\"elapsed_ns\":\"%d\"}"
                        .formatted(
                                result.readRows(),
                                result.resultRows(),
                                result.resultBytes(),
                                result.elapsed().toNanos());
    }

    /** The Content-Type ClickHouse gives each kind of format. */
    static String contentType(String format) {
        String lower = format.toLowerCase(Locale.ROOT);
        if (lower.startsWith("json")) {
            return "application/json; charset=UTF-8";
        }
        if (lower.startsWith("csv")) {
            return "text/csv; charset=UTF-8; header=" + (lower.contains("withnames") ? "present" : "absent");
        }
        if (lower.startsWith("tabseparated") || lower.startsWith("tsv")) {
            return "text/tab-separated-values; charset=UTF-8";
        }
        if (lower.startsWith("rowbinary")
                || lower.startsWith("native")
                || lower.equals("parquet")
                || lower.startsWith("arrow")) {
            return "application/octet-stream";
        }
        return "text/plain; charset=UTF-8";
    }

    static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.put(
                    URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String withoutTrailingSemicolons(String sql) {
        String result = sql.strip();
        while (result.endsWith(";")) {
            result = result.substring(0, result.length() - 1).strip();
        }
        return result;
    }

    private void sendError(HttpExchange exchange, ClickHouseError error) throws IOException {
        exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(error.code()));
        String body = error.body().contains("(version ")
                ? error.body()
                : error.body().stripTrailing() + " (version " + version + ")\n";
        send(exchange, error.httpStatus(), "text/plain; charset=UTF-8", bytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, body.length == 0 || head ? -1 : body.length);
        if (body.length > 0 && !head) {
            exchange.getResponseBody().write(body);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
