package io.chanalytics.metrics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Writer schemas by global id ({@code GET /schemas/ids/{id}}), as a downstream consumer looks them up. Test code only:
 * the services never read events back.
 */
public final class RegistrySchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUri;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();

    public RegistrySchemas(URI baseUri) {
        this.baseUri = baseUri;
    }

    public Schema byId(int id) {
        return byId.computeIfAbsent(id, this::fetch);
    }

    private Schema fetch(int id) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(baseUri.resolve("/schemas/ids/" + id))
                            .header("Accept", "application/vnd.schemaregistry.v1+json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Schema " + id + " not served: " + response.statusCode() + " " + body);
            }
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
