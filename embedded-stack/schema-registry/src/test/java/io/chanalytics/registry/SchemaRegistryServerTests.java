package io.chanalytics.registry;

import static io.chanalytics.registry.RegistryHttp.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process registry over real HTTP: ids, subjects, versions, bad input and the journal. */
class SchemaRegistryServerTests extends RegistryServerTest {

    static final Schema THING =
            SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
    static final Schema OTHER =
            SchemaBuilder.record("Other").fields().requiredLong("count").endRecord();
    /** THING with a field that has a default: BACKWARD and FORWARD compatible with it. */
    static final Schema THING_WITH_SIZE = SchemaBuilder.record("Thing")
            .fields()
            .requiredString("name")
            .name("size")
            .type()
            .intType()
            .intDefault(0)
            .endRecord();

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndAnotherSchemaAnotherId() {
        int id = registry.register("things-value", THING).json().path("id").asInt(-1);

        assertThat(id).isPositive();
        assertThat(registry.register("things-value", THING).json().path("id").asInt())
                .isEqualTo(id);
        assertThat(registry.register("a-value", THING).json().path("id").asInt())
                .as("a schema keeps its global id under another subject")
                .isEqualTo(id);
        assertThat(registry.register("others-value", OTHER).json().path("id").asInt())
                .isNotEqualTo(id);
    }

    @Test
    void speaksTheConfluentRestSubset() throws Exception {
        int id = registry.register("request-events-value", THING)
                .json()
                .path("id")
                .asInt();

        assertThat(registry.get("/subjects").body()).isEqualTo("[\"request-events-value\"]");
        assertThat(registry.get("/subjects/request-events-value/versions").body())
                .isEqualTo("[1]");
        RegistryHttp.Answer latest = registry.get("/subjects/request-events-value/versions/latest");
        assertThat(latest.status()).isEqualTo(200);
        assertThat(latest.json())
                .isEqualTo(JSON.createObjectNode()
                        .put("subject", "request-events-value")
                        .put("version", 1)
                        .put("id", id)
                        .put("schema", THING.toString()));
        RegistryHttp.Answer byId = registry.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(new Schema.Parser().parse(byId.json().path("schema").asText()))
                .isEqualTo(THING);
        assertThat(byId.contentType()).isEqualTo(SchemaRegistryServer.MEDIA_TYPE);
        assertThat(registry.get("/schemas/ids/999").errorCode()).isEqualTo(40403);
        assertThat(registry.get("/subjects/nope/versions/latest").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/subjects/request-events-value/versions/2").errorCode())
                .isEqualTo(40402);
    }

    @Test
    void refusesAnIncompatibleVersionWith409AndAcceptsACompatibleOne() {
        Schema incompatible = SchemaBuilder.record("Thing")
                .fields()
                .requiredString("name")
                .requiredInt("weight")
                .endRecord();
        registry.register("things-value", THING);
        assertThat(registry.register("things-value", THING_WITH_SIZE).status()).isEqualTo(200);

        RegistryHttp.Answer refused = registry.register("things-value", incompatible);

        // Confluent 8.0 (compose's) answers error_code 409; 8.1.2 and later 40901.
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.json().path("message").asText())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject"
                        + " \"things-value\", details: [")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "weight", "{oldSchemaVersion: 2}")
                .endsWith("{validateFields: 'false', compatibility: 'BACKWARD'}]");
    }

    @Test
    void malformedRegistrationGetsA422() {
        RegistryHttp.Answer answer = registry.post("/subjects/x-value/versions", "{\"schema\": \"{not avro\"}");
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo(42201);
        assertThat(registry.post("/subjects/x-value/versions", "{not json").errorCode())
                .isEqualTo(400);
        assertThat(registry.post("/subjects/x-value/versions", "{\"schema\":\"int\",\"schemaType\":\"PROTOBUF\"}")
                        .errorCode())
                .isEqualTo(42201);
        assertThat(registry.get("/subjects/x-value/versions/earliest").errorCode())
                .isEqualTo(42202);
        assertThat(registry.get("/subjects/x-value/versions/0").errorCode()).isEqualTo(42202);
        assertThat(registry.get("/nowhere").status()).isEqualTo(404);
    }

    @Test
    void anUndefinedTypeOrABadDefaultIsA422NotADroppedConnection() {
        String undefinedType = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}";
        RegistryHttp.Answer answer = registry.post(
                "/subjects/x-value/versions",
                JSON.createObjectNode().put("schema", undefinedType).toString());

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo(42201);
        assertThat(answer.json().path("message").asText()).contains("nope");
    }

    @Test
    void idsVersionsDeletesAndLevelsSurviveARestart(@TempDir Path directory) {
        server.close();
        server = SchemaRegistryServer.start(0, directory);
        registry = new RegistryHttp(server);
        int thingId = registry.register("t-value", THING).json().path("id").asInt();
        int otherId = registry.register("o-value", OTHER).json().path("id").asInt();
        registry.register("t-value", THING_WITH_SIZE);
        assertThat(registry.delete("/subjects/t-value/versions/2").status()).isEqualTo(200);
        registry.put("/config/o-value", RegistryHttp.compatibilityBody("NONE"));
        registry.put("/config", RegistryHttp.compatibilityBody("FULL"));
        server.close();

        server = SchemaRegistryServer.start(0, directory);
        registry = new RegistryHttp(server);
        assertThat(new Schema.Parser()
                        .parse(registry.get("/schemas/ids/" + thingId)
                                .json()
                                .path("schema")
                                .asText()))
                .isEqualTo(THING);
        assertThat(registry.register("o-value", OTHER).json().path("id").asInt())
                .isEqualTo(otherId);
        assertThat(registry.get("/subjects/t-value/versions").body()).isEqualTo("[1]");
        assertThat(registry.get("/subjects/t-value/versions?deleted=true").body())
                .isEqualTo("[1,2]");
        assertThat(registry.get("/config/o-value")
                        .json()
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");
        assertThat(registry.get("/config").json().path("compatibilityLevel").asText())
                .isEqualTo("FULL");
        assertThat(registry.register("t-value", THING_WITH_SIZE)
                        .json()
                        .path("id")
                        .asInt())
                .as("a new version after the soft-deleted 2")
                .isPositive();
        assertThat(registry.get("/subjects/t-value/versions").body()).isEqualTo("[1,3]");
    }
}
