package io.chanalytics.registry;

import static io.chanalytics.registry.RegistryHttp.schemaBody;
import static io.chanalytics.registry.SchemaRegistryServerTests.OTHER;
import static io.chanalytics.registry.SchemaRegistryServerTests.THING;
import static io.chanalytics.registry.SchemaRegistryServerTests.THING_WITH_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Deleting (soft, then permanent), looking up and reading schemas as Confluent's API reference and its server (8.0)
 * answer: the numbers of deleted versions are never given again, and each refusal has Confluent's error code.
 */
class SubjectLifecycleApiTests extends RegistryServerTest {

    @Test
    void aSoftDeletedVersionIsHiddenUntilAskedForAndItsNumberIsNotReused() {
        registry.register("things-value", THING);
        registry.register("things-value", THING_WITH_SIZE);

        RegistryHttp.Answer deleted = registry.delete("/subjects/things-value/versions/latest");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).as("the version deleted, a bare number").isEqualTo("2");

        assertThat(registry.get("/subjects/things-value/versions").body()).isEqualTo("[1]");
        assertThat(registry.get("/subjects/things-value/versions/2").errorCode())
                .isEqualTo(40402);
        RegistryHttp.Answer asked = registry.get("/subjects/things-value/versions/2?deleted=true");
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.json().path("deleted").asBoolean()).isTrue();
        assertThat(registry.get("/subjects/things-value/versions/latest")
                        .json()
                        .path("version")
                        .asInt())
                .isEqualTo(1);

        assertThat(registry.delete("/subjects/things-value/versions/2").errorCode())
                .isEqualTo(40406);
        assertThat(registry.delete("/subjects/things-value/versions/1?permanent=true")
                        .errorCode())
                .isEqualTo(40407);
        assertThat(registry.delete("/subjects/things-value/versions/9").errorCode())
                .isEqualTo(40402);
        assertThat(registry.delete("/subjects/nothing-value/versions/1").errorCode())
                .isEqualTo(40401);

        registry.register("things-value", THING_WITH_SIZE);
        assertThat(registry.get("/subjects/things-value/versions").body())
                .as("registered again: a new number")
                .isEqualTo("[1,3]");

        assertThat(registry.delete("/subjects/things-value/versions/2?permanent=true")
                        .body())
                .isEqualTo("2");
        assertThat(registry.get("/subjects/things-value/versions?deleted=true").body())
                .isEqualTo("[1,3]");
    }

    @Test
    void aSubjectIsSoftDeletedFirstThenPermanently() {
        registry.register("things-value", THING);
        registry.register("things-value", THING_WITH_SIZE);
        registry.register("others-value", OTHER);

        assertThat(registry.delete("/subjects/things-value?permanent=true").errorCode())
                .as("not soft-deleted first")
                .isEqualTo(40405);
        assertThat(registry.delete("/subjects/things-value").body()).isEqualTo("[1,2]");

        assertThat(registry.get("/subjects").body()).isEqualTo("[\"others-value\"]");
        assertThat(registry.get("/subjects?deleted=true").body()).isEqualTo("[\"others-value\",\"things-value\"]");
        assertThat(registry.get("/subjects/things-value/versions").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/subjects/things-value/versions?deleted=true").body())
                .isEqualTo("[1,2]");
        assertThat(registry.delete("/subjects/things-value").errorCode()).isEqualTo(40404);

        assertThat(registry.delete("/subjects/things-value?permanent=true").body())
                .isEqualTo("[1,2]");
        assertThat(registry.get("/subjects?deleted=true").body()).isEqualTo("[\"others-value\"]");
        assertThat(registry.delete("/subjects/things-value").errorCode()).isEqualTo(40401);
        registry.register("things-value", THING);
        assertThat(registry.get("/subjects/things-value/versions").body())
                .as("forgotten: numbering starts again")
                .isEqualTo("[1]");
    }

    @Test
    void registeringAfterASoftDeleteOfTheSubjectGoesOnFromItsHighestVersion() {
        registry.register("things-value", THING);
        registry.register("things-value", THING_WITH_SIZE);
        registry.delete("/subjects/things-value");

        registry.register("things-value", THING);

        assertThat(registry.get("/subjects/things-value/versions").body()).isEqualTo("[3]");
    }

    @Test
    void schemaTypesRawSchemaAndWhereAnIdIsUsed() throws Exception {
        int id = registry.register("a-value", THING).json().path("id").asInt();
        registry.register("b-value", THING);

        assertThat(registry.get("/schemas/types").body())
                .as("Avro only, what this registry keeps")
                .isEqualTo("[\"AVRO\"]");

        RegistryHttp.Answer raw = registry.get("/subjects/a-value/versions/1/schema");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.contentType()).isEqualTo(SchemaRegistryServer.MEDIA_TYPE);
        assertThat(new Schema.Parser().parse(raw.body()))
                .as("the schema itself, not quoted")
                .isEqualTo(THING);
        assertThat(registry.get("/subjects/a-value/versions/latest/schema").body())
                .isEqualTo(raw.body());
        assertThat(registry.get("/subjects/a-value/versions/2/schema").errorCode())
                .isEqualTo(40402);

        assertThat(registry.get("/schemas/ids/" + id + "/versions").body())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"b-value\",\"version\":1}]");
        registry.delete("/subjects/b-value");
        assertThat(registry.get("/schemas/ids/" + id + "/versions").body())
                .isEqualTo("[{\"subject\":\"a-value\",\"version\":1}]");
        assertThat(registry.get("/schemas/ids/" + id + "/versions?deleted=true").json())
                .hasSize(2);
        RegistryHttp.Answer unknown = registry.get("/schemas/ids/999/versions");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40403);
    }

    @Test
    void aSchemaIsLookedUpUnderItsSubject() {
        int id = registry.register("things-value", THING).json().path("id").asInt();

        RegistryHttp.Answer found = registry.post("/subjects/things-value", schemaBody(THING));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("id").asInt()).isEqualTo(id);
        assertThat(found.json().path("version").asInt()).isEqualTo(1);
        assertThat(found.json().path("subject").asText()).isEqualTo("things-value");

        assertThat(registry.post("/subjects/things-value", schemaBody(OTHER)).errorCode())
                .isEqualTo(40403);
        assertThat(registry.post("/subjects/nothing-value", schemaBody(THING)).errorCode())
                .isEqualTo(40401);
    }
}
