package io.chanalytics.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The in-process registry over real HTTP, spoken to as Confluent's clients do (requests built by hand here). */
class SchemaRegistryServerTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema THING =
            SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
    private static final Schema OTHER =
            SchemaBuilder.record("Other").fields().requiredLong("count").endRecord();

    private final HttpClient http = HttpClient.newHttpClient();
    private SchemaRegistryServer server;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.start(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndAnotherSchemaAnotherId() throws Exception {
        int id = register("things-value", THING).path("id").asInt(-1);

        assertThat(id).isPositive();
        assertThat(register("things-value", THING).path("id").asInt()).isEqualTo(id);
        assertThat(register("a-value", THING).path("id").asInt())
                .as("a schema keeps its global id under another subject")
                .isEqualTo(id);
        assertThat(register("others-value", OTHER).path("id").asInt()).isNotEqualTo(id);
    }

    @Test
    void speaksTheConfluentRestSubset() throws Exception {
        int id = register("request-events-value", THING).path("id").asInt();

        assertThat(get("/subjects").statusCode()).isEqualTo(200);
        assertThat(last.body()).isEqualTo("[\"request-events-value\"]");
        assertThat(get("/subjects/request-events-value/versions").statusCode()).isEqualTo(200);
        assertThat(last.body()).isEqualTo("[1]");
        assertThat(get("/subjects/request-events-value/versions/latest").statusCode())
                .isEqualTo(200);
        assertThat(JSON.readTree(last.body()))
                .isEqualTo(JSON.createObjectNode()
                        .put("subject", "request-events-value")
                        .put("version", 1)
                        .put("id", id)
                        .put("schema", THING.toString()));
        assertThat(get("/schemas/ids/" + id).statusCode()).isEqualTo(200);
        assertThat(new Schema.Parser()
                        .parse(JSON.readTree(last.body()).path("schema").asText()))
                .isEqualTo(THING);
        assertThat(last.headers().firstValue("Content-Type")).hasValue(SchemaRegistryServer.MEDIA_TYPE);
        assertThat(get("/schemas/ids/999").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(last.body()).path("error_code").asInt()).isEqualTo(40403);
        assertThat(get("/subjects/nope/versions/latest").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(last.body()).path("error_code").asInt()).isEqualTo(40401);
    }

    @Test
    void refusesAnIncompatibleVersionWith409AndAcceptsACompatibleOne() throws Exception {
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
        register("things-value", THING);
        register("things-value", compatible);
        assertThat(last.statusCode()).isEqualTo(200);

        JsonNode refused = register("things-value", incompatible);

        assertThat(last.statusCode()).isEqualTo(409);
        assertThat(refused.path("error_code").asInt()).isEqualTo(409);
        assertThat(refused.path("message").asText()).contains("incompatible");
    }

    @Test
    void malformedRegistrationGetsA422() throws Exception {
        var response = post("/subjects/x-value/versions", "{\"schema\": \"{not avro\"}");
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).path("error_code").asInt()).isEqualTo(42201);
    }

    @Test
    void anUndefinedTypeOrABadDefaultIsA422NotADroppedConnection() throws Exception {
        String undefinedType = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}";
        var response = post(
                "/subjects/x-value/versions",
                JSON.createObjectNode().put("schema", undefinedType).toString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).path("error_code").asInt()).isEqualTo(42201);
        assertThat(JSON.readTree(response.body()).path("message").asText()).contains("nope");
    }

    @Test
    void persistedIdsSurviveARestart(@TempDir Path directory) throws Exception {
        server.close();
        server = SchemaRegistryServer.start(0, directory);
        int thingId = register("t-value", THING).path("id").asInt();
        int otherId = register("o-value", OTHER).path("id").asInt();
        server.close();

        server = SchemaRegistryServer.start(0, directory);
        assertThat(schemaById(thingId)).isEqualTo(THING);
        assertThat(schemaById(otherId)).isEqualTo(OTHER);
        assertThat(register("o-value", OTHER).path("id").asInt()).isEqualTo(otherId);
    }

    private HttpResponse<String> last;

    private Schema schemaById(int id) throws Exception {
        assertThat(get("/schemas/ids/" + id).statusCode()).isEqualTo(200);
        return new Schema.Parser()
                .parse(JSON.readTree(last.body()).path("schema").asText());
    }

    private JsonNode register(String subject, Schema schema) throws Exception {
        String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
        return JSON.readTree(post("/subjects/" + subject + "/versions", body).body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        last = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve(path))
                        .header("Content-Type", SchemaRegistryServer.MEDIA_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return last;
    }

    private HttpResponse<String> get(String path) throws Exception {
        last = http.send(
                HttpRequest.newBuilder(server.baseUri().resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return last;
    }
}
