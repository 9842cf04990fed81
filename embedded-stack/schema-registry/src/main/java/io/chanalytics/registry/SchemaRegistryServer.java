package io.chanalytics.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A schema registry speaking the subset of the Confluent REST API that producers, ClickHouse's {@code AvroConfluent}
 * format and Kafka UI use: register a version, get a schema by id, list subjects, list versions, get a version
 * (including {@code latest}). It runs in-process for tests and for the embedded (no Docker) stack; compose uses
 * Confluent's own registry.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    /** Confluent's media type, sent on every answer as Confluent's server does. */
    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final SchemaStore store;

    private SchemaRegistryServer(HttpServer server, SchemaStore store) {
        this.server = server;
        this.store = store;
    }

    /** Starts on loopback; {@code port} 0 picks a free port. Nothing is persisted. */
    public static SchemaRegistryServer start(int port) {
        return start(port, null);
    }

    /** Starts on loopback, journalling registrations to {@code persistDirectory} (null: keep them in memory only). */
    public static SchemaRegistryServer start(int port, Path persistDirectory) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            var registry = new SchemaRegistryServer(server, new SchemaStore(persistDirectory));
            server.createContext("/", registry::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response = route(exchange);
            byte[] body = response.body().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Response route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts =
                exchange.getRequestURI().getRawPath().replaceAll("^/+|/+$", "").split("/");
        try {
            if (method.equals("GET") && parts.length == 3 && parts[0].equals("schemas") && parts[1].equals("ids")) {
                return schemaById(Integer.parseInt(parts[2]));
            }
            if (method.equals("GET") && parts.length == 1 && parts[0].equals("subjects")) {
                return ok(JSON.valueToTree(store.subjects()));
            }
            if (parts.length >= 3 && parts[0].equals("subjects") && parts[2].equals("versions")) {
                // Percent-decoding only, as Confluent's server (Jersey) does: a '+' in a subject is a plus.
                String subject = URLDecoder.decode(parts[1].replace("+", "%2B"), StandardCharsets.UTF_8);
                if (method.equals("POST") && parts.length == 3) {
                    return register(subject, exchange);
                }
                if (method.equals("GET") && parts.length == 3) {
                    return store.versions(subject)
                            .map(v -> ok(JSON.valueToTree(v)))
                            .orElseGet(() -> subjectNotFound(subject));
                }
                if (method.equals("GET") && parts.length == 4) {
                    int version = parts[3].equals("latest") ? -1 : Integer.parseInt(parts[3]);
                    return version(subject, version);
                }
            }
            return error(404, 404, "HTTP 404 Not Found");
        } catch (NumberFormatException e) {
            return error(422, 42202, "Invalid version or id: " + e.getMessage());
        }
    }

    private Response schemaById(int id) {
        return store.byId(id)
                .map(schema -> ok(JSON.createObjectNode().put("schema", schema.toString())))
                .orElseGet(() -> error(404, 40403, "Schema " + id + " not found"));
    }

    private Response version(String subject, int version) {
        if (store.versions(subject).isEmpty()) {
            return subjectNotFound(subject);
        }
        return store.version(subject, version)
                .map(v -> ok(JSON.createObjectNode()
                        .put("subject", v.subject())
                        .put("version", v.version())
                        .put("id", v.id())
                        .put("schema", v.schema().toString())))
                .orElseGet(() -> error(404, 40402, "Version " + version + " of subject '" + subject + "' not found."));
    }

    private Response register(String subject, HttpExchange exchange) throws IOException {
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody());
        } catch (IOException e) {
            return error(400, 400, "Malformed JSON body: " + e.getMessage());
        }
        String schemaType = request == null ? null : request.path("schemaType").asText("AVRO");
        if (request == null || !request.hasNonNull("schema") || !"AVRO".equals(schemaType)) {
            return error(422, 42201, "Body must be {\"schema\": \"<Avro schema JSON>\"}");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(request.get("schema").asText());
        } catch (AvroRuntimeException e) {
            // SchemaParseException, and AvroTypeException for an undefined type or a bad default: all the client's
            // mistake, answered as Confluent does rather than by a dropped connection.
            return error(422, 42201, "Invalid schema, details: " + e.getMessage());
        }
        try {
            return ok(JSON.createObjectNode()
                    .put("id", store.register(subject, schema).id()));
        } catch (SchemaStore.IncompatibleSchemaException e) {
            return error(409, 409, e.getMessage());
        }
    }

    private static Response subjectNotFound(String subject) {
        return error(404, 40401, "Subject '" + subject + "' not found.");
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body);
    }

    private static Response error(int status, int errorCode, String message) {
        ObjectNode body = JSON.createObjectNode().put("error_code", errorCode).put("message", message);
        return new Response(status, body);
    }

    private record Response(int status, JsonNode body) {}

    /** Runs a standalone registry: {@code [port] [persist-directory]}, defaults 8081 and in-memory. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        Path directory = args.length > 1 ? Path.of(args[1]) : null;
        var registry = start(port, directory);
        System.out.println("Schema registry listening on " + registry.baseUri());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(registry::close));
        Thread.currentThread().join();
    }
}
