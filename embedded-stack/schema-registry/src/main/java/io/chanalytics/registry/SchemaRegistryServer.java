package io.chanalytics.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * A schema registry speaking the part of Confluent's REST API that producers, ClickHouse's {@code AvroConfluent}
 * format, Kafka UI and Confluent's clients call, with Confluent's statuses, {@code error_code}s and bodies (release
 * 8.0, the one compose runs): schemas by id and where they are used, subjects and their versions (register, look up,
 * read, soft and permanent delete), compatibility levels global and per subject, enforced on registration, and the
 * compatibility check. Avro only. It runs in-process for tests and for the embedded (no Docker) stack; compose runs
 * Confluent's own.
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
            Response response;
            try {
                response = route(Request.of(exchange));
            } catch (RegistryException e) {
                response = error(e.status(), e.errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                // A fault of this registry, not of the request: Confluent's generic 500, and the client gets an answer.
                response = error(500, 500, "Internal server error: " + e);
            }
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            exchange.sendResponseHeaders(response.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Response route(Request request) {
        List<String> path = request.path();
        return switch (path.isEmpty() ? "" : path.getFirst()) {
            case "schemas" -> schemas(request);
            case "subjects" -> subjects(request);
            case "config" -> config(request);
            case "compatibility" -> compatibility(request);
            default -> throw RegistryException.notFound();
        };
    }

    /** {@code /schemas/types}, {@code /schemas/ids/{id}}, {@code /schemas/ids/{id}/versions}. */
    private Response schemas(Request request) {
        List<String> path = request.path();
        request.require("GET");
        if (path.size() == 2 && path.get(1).equals("types")) {
            // The types this registry accepts: Avro alone (Confluent's lists JSON and PROTOBUF too).
            return ok(JSON.createArrayNode().add("AVRO"));
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(1).equals("ids")) {
            throw RegistryException.notFound();
        }
        int id = schemaId(path.get(2));
        if (path.size() == 3) {
            Schema schema =
                    store.byId(id).orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found"));
            return ok(JSON.createObjectNode().put("schema", schema.toString()));
        }
        if (!path.get(3).equals("versions")) {
            throw RegistryException.notFound();
        }
        ArrayNode uses = JSON.createArrayNode();
        for (SchemaStore.Version version : store.usesOf(id, request.flag("deleted"))) {
            uses.addObject().put("subject", version.subject()).put("version", version.version());
        }
        return ok(uses);
    }

    /** {@code /subjects}, {@code /subjects/{subject}} and its versions. */
    private Response subjects(Request request) {
        List<String> path = request.path();
        if (path.size() == 1) {
            request.require("GET");
            return ok(JSON.valueToTree(store.subjects(request.flag("deleted"))));
        }
        String subject = path.get(1);
        if (path.size() == 2) {
            return switch (request.method()) {
                case "POST" -> ok(versionJson(store.lookUp(subject, request.schema())));
                case "DELETE" -> ok(JSON.valueToTree(store.deleteSubject(subject, request.flag("permanent"))));
                default -> throw RegistryException.methodNotAllowed();
            };
        }
        if (!path.get(2).equals("versions") || path.size() > 5) {
            throw RegistryException.notFound();
        }
        if (path.size() == 3) {
            return switch (request.method()) {
                case "GET" ->
                    ok(JSON.valueToTree(store.versions(subject, request.flag("deleted")).stream()
                            .map(SchemaStore.Version::version)
                            .toList()));
                case "POST" ->
                    ok(JSON.createObjectNode()
                            .put("id", store.register(subject, request.schema()).id()));
                default -> throw RegistryException.methodNotAllowed();
            };
        }
        VersionId version = VersionId.parse(path.get(3));
        if (path.size() == 5) {
            if (!path.get(4).equals("schema")) {
                throw RegistryException.notFound();
            }
            request.require("GET");
            // The schema itself as the body, unquoted, as Confluent's server writes it.
            return new Response(
                    200,
                    store.version(subject, version, request.flag("deleted"))
                            .schema()
                            .toString());
        }
        return switch (request.method()) {
            case "GET" -> ok(versionJson(store.version(subject, version, request.flag("deleted"))));
            case "DELETE" ->
                ok(JSON.getNodeFactory().numberNode(store.deleteVersion(subject, version, request.flag("permanent"))));
            default -> throw RegistryException.methodNotAllowed();
        };
    }

    /**
     * {@code /config} and {@code /config/{subject}}: GET answers {@code compatibilityLevel}, PUT takes and answers
     * {@code compatibility}, DELETE answers the level it removed.
     */
    private Response config(Request request) {
        List<String> path = request.path();
        if (path.size() > 2) {
            throw RegistryException.notFound();
        }
        String subject = path.size() == 2 ? path.get(1) : null;
        return switch (request.method()) {
            case "GET" -> {
                CompatibilityLevel level = subject == null
                        ? store.globalLevel()
                        : store.subjectLevel(subject)
                                .or(() -> request.flag("defaultToGlobal")
                                        ? Optional.of(store.globalLevel())
                                        : Optional.empty())
                                .orElseThrow(() -> RegistryException.noSubjectCompatibility(subject));
                yield ok(JSON.createObjectNode().put("compatibilityLevel", level.name()));
            }
            case "PUT" -> {
                CompatibilityLevel level = CompatibilityLevel.named(
                        request.json().path("compatibility").textValue());
                store.setLevel(subject, level);
                yield ok(JSON.createObjectNode().put("compatibility", level.name()));
            }
            case "DELETE" -> {
                CompatibilityLevel before = subject == null
                        ? store.setLevel(null, null).orElse(CompatibilityLevel.DEFAULT)
                        : store.subjectLevel(subject)
                                .map(level -> {
                                    store.setLevel(subject, null);
                                    return level;
                                })
                                .orElseThrow(() -> RegistryException.subjectNotFound(subject));
                yield ok(JSON.createObjectNode().put("compatibilityLevel", before.name()));
            }
            default -> throw RegistryException.methodNotAllowed();
        };
    }

    /**
     * {@code POST /compatibility/subjects/{subject}/versions[/{version}]}: {@code is_compatible}, and with
     * {@code verbose=true} the reasons (an invalid schema is then a reason, not an error).
     */
    private Response compatibility(Request request) {
        List<String> path = request.path();
        if (path.size() < 4
                || path.size() > 5
                || !path.get(1).equals("subjects")
                || !path.get(3).equals("versions")) {
            throw RegistryException.notFound();
        }
        request.require("POST");
        VersionId version = path.size() == 5 ? VersionId.parse(path.get(4)) : null;
        boolean verbose = request.flag("verbose");
        List<String> problems;
        try {
            problems = store.compatibilityProblems(path.get(2), request.schema(), version);
        } catch (RegistryException e) {
            if (!verbose || e.errorCode() != 42201) {
                throw e;
            }
            problems = List.of(e.getMessage());
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if (verbose) {
            answer.set("messages", JSON.valueToTree(problems));
        }
        return ok(answer);
    }

    private static ObjectNode versionJson(SchemaStore.Version version) {
        ObjectNode json = JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema().toString());
        if (version.deleted()) {
            json.put("deleted", true);
        }
        return json;
    }

    private static int schemaId(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RegistryException.notFound(); // as Jersey answers a path parameter that is not a number
        }
    }

    private static Response ok(JsonNode body) {
        return new Response(200, body.toString());
    }

    private static Response error(int status, int errorCode, String message) {
        return new Response(
                status,
                JSON.createObjectNode()
                        .put("error_code", errorCode)
                        .put("message", message)
                        .toString());
    }

    private record Response(int status, String body) {}

    /** What a handler reads of an exchange: method, decoded path segments, query flags and the JSON body. */
    private record Request(String method, List<String> path, Map<String, String> query, byte[] body) {

        static Request of(HttpExchange exchange) throws IOException {
            List<String> path = new ArrayList<>();
            for (String segment : exchange.getRequestURI().getRawPath().split("/")) {
                if (!segment.isEmpty()) {
                    // Percent-decoding only, as Confluent's server (Jersey) does: a '+' in a subject is a plus.
                    path.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
            Map<String, String> query = new HashMap<>();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            if (rawQuery != null) {
                for (String pair : rawQuery.split("&")) {
                    String[] nameValue = pair.split("=", 2);
                    query.put(
                            URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                            nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
                }
            }
            return new Request(
                    exchange.getRequestMethod(),
                    path,
                    query,
                    exchange.getRequestBody().readAllBytes());
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(query.get(name));
        }

        void require(String expected) {
            if (!method.equals(expected)) {
                throw RegistryException.methodNotAllowed();
            }
        }

        JsonNode json() {
            try {
                JsonNode json = JSON.readTree(body);
                if (json == null || !json.isObject()) {
                    throw RegistryException.malformedRequest("The request body must be a JSON object");
                }
                return json;
            } catch (IOException e) {
                throw RegistryException.malformedRequest("Malformed JSON body: " + e.getMessage());
            }
        }

        /** The Avro schema of a registration, compatibility check or lookup body ({@code {"schema": "..."}}). */
        Schema schema() {
            JsonNode json = json();
            String type = json.path("schemaType").asText("AVRO");
            if (!type.equals("AVRO")) {
                throw RegistryException.invalidSchema(
                        "Invalid schema type " + type + ": this registry keeps Avro only");
            }
            if (!json.path("schema").isTextual()) {
                throw RegistryException.invalidSchema("Body must be {\"schema\": \"<Avro schema JSON>\"}");
            }
            try {
                return new Schema.Parser().parse(json.get("schema").asText());
            } catch (AvroRuntimeException e) {
                // SchemaParseException, and AvroTypeException for an undefined type or a bad default: all the client's
                // mistake, answered as Confluent does rather than by a dropped connection.
                throw RegistryException.invalidSchema("Invalid schema, details: " + e.getMessage());
            }
        }
    }

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
