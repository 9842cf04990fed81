package io.chanalytics.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our client against Confluent Schema Registry's documented REST contract rather than our own server: each answer in
 * {@code src/test/resources/confluent/} (see its README) is replayed over HTTP, and the request the client sent is
 * checked against what Confluent's server accepts.
 */
class SchemaRegistryContractTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema THING =
            SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();

    private final AtomicReference<Recorded> lastRequest = new AtomicReference<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void registersWithTheRequestConfluentExpectsAndReadsThe8xAnswer() throws Exception {
        var client = clientAnswering("register-ok-8.0.json");

        assertThat(client.register("things-value", THING)).isEqualTo(7);

        Recorded request = lastRequest.get();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/registry/subjects/things-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.accept()).isEqualTo("application/vnd.schemaregistry.v1+json");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("schema");
        assertThat(new Schema.Parser().parse(body.path("schema").asText())).isEqualTo(THING);
    }

    @Test
    void readsThe7xAnswerWithTheIdAlone() {
        assertThat(clientAnswering("register-ok-7.x.json").register("things-value", THING))
                .isEqualTo(1);
    }

    @Test
    void encodesSubjectsAsPathSegmentsLikeConfluentsClient() {
        clientAnswering("register-ok-7.x.json").register("my topic/value", THING);

        assertThat(lastRequest.get().rawPath()).isEqualTo("/registry/subjects/my%20topic%2Fvalue/versions");
    }

    @Test
    void incompatibleIsA409WhicheverErrorCodeTheRegistryVersionUses() {
        for (String answer : new String[] {"register-incompatible-8.0.json", "register-incompatible-8.0.4.json"}) {
            var client = clientAnswering(answer);
            assertThatThrownBy(() -> client.register("things-value", THING))
                    .as(answer)
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.isIncompatible()).isTrue();
                        assertThat(e.getMessage()).contains("incompatible with an earlier schema");
                    });
            stop();
        }
    }

    @Test
    void invalidSchemaAndStoreErrorsCarryConfluentsCodeAndMessage() {
        assertThatThrownBy(() -> clientAnswering("register-invalid.json").register("things-value", THING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(422);
                    assertThat(e.errorCode()).isEqualTo(42201);
                    assertThat(e.isIncompatible()).isFalse();
                    assertThat(e.getMessage()).contains("Invalid schema");
                });
        stop();
        assertThatThrownBy(() -> clientAnswering("register-store-error.json").register("things-value", THING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                });
    }

    /** A client whose registry (under a path prefix, as proxies give) answers every call with the recorded answer. */
    private SchemaRegistryClient clientAnswering(String answerFile) {
        JsonNode answer = recorded(answerFile);
        byte[] body = answer.path("body").toString().getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                lastRequest.set(new Recorded(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Accept"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
                exchange.sendResponseHeaders(answer.path("status").asInt(), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        return new SchemaRegistryClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/registry"));
    }

    private static JsonNode recorded(String file) {
        try (InputStream in = SchemaRegistryContractTests.class.getResourceAsStream("/confluent/" + file)) {
            assertThat(in).as(file).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Recorded(
            String method, String path, String rawPath, String contentType, String accept, String body) {}
}
