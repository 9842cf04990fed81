package io.chanalytics.metrics.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The one Confluent Schema Registry call a producer needs: register a schema under a subject and learn its global id.
 * The answer is immutable in the registry, so it is cached for the life of the client and asked for once. Written by
 * hand because Confluent's client is not on Maven Central; its REST contract is pinned in the tests.
 */
public final class SchemaRegistryClient {

    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(URI baseUri) {
        this(baseUri, Duration.ofSeconds(5));
    }

    public SchemaRegistryClient(URI baseUri, Duration requestTimeout) {
        this.baseUri = withTrailingSlash(baseUri);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    public URI baseUri() {
        return baseUri;
    }

    /** Registers {@code schema} under {@code subject} (idempotent in the registry) and returns its global id. */
    public int register(String subject, Schema schema) {
        var key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        JsonNode answer = send(HttpRequest.newBuilder(resolve("subjects/" + encode(subject) + "/versions"))
                .header("Content-Type", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("Registry answered without an id: " + answer, 0, 0);
        }
        idsBySubjectSchema.put(key, id);
        return id;
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(
                    request.timeout(requestTimeout).header("Accept", MEDIA_TYPE).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + baseUri + " unreachable: " + e, 0, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while calling the schema registry", 0, 0);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(
                    json.path("message").asText(response.body()),
                    response.statusCode(),
                    json.path("error_code").asInt(response.statusCode()));
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private URI resolve(String path) {
        return baseUri.resolve(path);
    }

    /** Path encoding as Confluent's client does it: form encoding's {@code +} for a space would be a literal plus. */
    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static URI withTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }

    private record SubjectSchema(String subject, Schema schema) {}
}
