package io.chanalytics.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process registry and our client, talking real HTTP to each other. */
class SchemaRegistryServerTests {

    private final HttpClient http = HttpClient.newHttpClient();
    private SchemaRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.start(0);
        client = new SchemaRegistryClient(server.baseUri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersOnceAndServesSchemasById() {
        int id = client.register("request-events-value", RequestEvent.getClassSchema());

        assertThat(client.register("request-events-value", RequestEvent.getClassSchema()))
                .isEqualTo(id);
        assertThat(new SchemaRegistryClient(server.baseUri()).schemaById(id)).isEqualTo(RequestEvent.getClassSchema());
        int other = client.register("business-events-value", BusinessEvent.getClassSchema());
        assertThat(other).isNotEqualTo(id);
    }

    @Test
    void sameSchemaUnderAnotherSubjectKeepsItsGlobalId() {
        int id = client.register("a-value", RequestEvent.getClassSchema());
        assertThat(new SchemaRegistryClient(server.baseUri()).register("b-value", RequestEvent.getClassSchema()))
                .isEqualTo(id);
    }

    @Test
    void speaksTheConfluentRestSubset() throws Exception {
        int id = client.register("request-events-value", RequestEvent.getClassSchema());

        assertThat(get("/subjects")).isEqualTo(200);
        assertThat(lastBody).isEqualTo("[\"request-events-value\"]");
        assertThat(get("/subjects/request-events-value/versions")).isEqualTo(200);
        assertThat(lastBody).isEqualTo("[1]");
        assertThat(get("/subjects/request-events-value/versions/latest")).isEqualTo(200);
        assertThat(lastBody).contains("\"id\":" + id, "\"version\":1", "\"subject\":\"request-events-value\"");
        assertThat(get("/schemas/ids/" + id)).isEqualTo(200);
        assertThat(lastContentType).isEqualTo(SchemaRegistryClient.MEDIA_TYPE);
        assertThat(get("/schemas/ids/999")).isEqualTo(404);
        assertThat(lastBody).contains("40403");
        assertThat(get("/subjects/nope/versions/latest")).isEqualTo(404);
    }

    @Test
    void rejectsInvalidAndIncompatibleSchemas() {
        Schema v1 =
                SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
        Schema compatible = SchemaBuilder.record("Thing")
                .fields()
                .requiredString("name")
                .name("size")
                .type()
                .intType()
                .intDefault(0)
                .endRecord();
        Schema incompatible = SchemaBuilder.record("Thing")
                .fields()
                .requiredString("name")
                .requiredInt("weight")
                .endRecord();

        client.register("things-value", v1);
        client.register("things-value", compatible);

        assertThatThrownBy(() -> client.register("things-value", incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("incompatible");
                });
    }

    @Test
    void malformedRegistrationGetsA422() throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve("/subjects/x-value/versions"))
                        .header("Content-Type", SchemaRegistryClient.MEDIA_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"{not avro\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("42201");
    }

    @Test
    void persistedIdsSurviveARestart(@TempDir Path directory) {
        server.close();
        server = SchemaRegistryServer.start(0, directory);
        int requestId = new SchemaRegistryClient(server.baseUri()).register("r-value", RequestEvent.getClassSchema());
        int businessId = new SchemaRegistryClient(server.baseUri()).register("b-value", BusinessEvent.getClassSchema());
        server.close();

        server = SchemaRegistryServer.start(0, directory);
        var reopened = new SchemaRegistryClient(server.baseUri());
        assertThat(reopened.schemaById(requestId)).isEqualTo(RequestEvent.getClassSchema());
        assertThat(reopened.schemaById(businessId)).isEqualTo(BusinessEvent.getClassSchema());
        assertThat(reopened.register("b-value", BusinessEvent.getClassSchema())).isEqualTo(businessId);
    }

    @Test
    void unreachableRegistryIsAClearError() {
        server.close();
        var unreachable = new SchemaRegistryClient(URI.create("http://127.0.0.1:" + server.port()));
        assertThatThrownBy(() -> unreachable.schemaById(1))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable");
    }

    private String lastBody;
    private String lastContentType;

    private int get(String path) throws Exception {
        var response = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        lastBody = response.body();
        lastContentType = response.headers().firstValue("Content-Type").orElse("");
        return response.statusCode();
    }
}
