package io.chanalytics.registry;

import static io.chanalytics.registry.RegistryHttp.compatibilityBody;
import static io.chanalytics.registry.RegistryHttp.schemaBody;
import static io.chanalytics.registry.SchemaRegistryServerTests.THING;
import static io.chanalytics.registry.SchemaRegistryServerTests.THING_WITH_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@code /config} and {@code /compatibility} as Confluent's API reference and its server (8.0) answer them: the levels,
 * global and per subject, and each level enforced on registration with Avro's reader/writer rules.
 */
class CompatibilityApiTests extends RegistryServerTest {

    /** THING without its only field: a reader of THING finds no value and no default (not FORWARD compatible). */
    private static final Schema EMPTY_THING =
            SchemaBuilder.record("Thing").fields().endRecord();
    /** THING's name as an int with a default: readable after EMPTY_THING (default), not after THING (type). */
    private static final Schema NUMBERED_THING = SchemaBuilder.record("Thing")
            .fields()
            .name("name")
            .type()
            .intType()
            .intDefault(0)
            .endRecord();

    @Test
    void theGlobalLevelIsBackwardUntilSetAndBackAfterADelete() {
        assertThat(registry.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        RegistryHttp.Answer set = registry.put("/config", compatibilityBody("full"));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body()).as("the stored level, upper case").isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(registry.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");

        RegistryHttp.Answer deleted = registry.delete("/config");
        assertThat(deleted.body()).as("the level before").isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
        assertThat(registry.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    }

    @Test
    void anUnknownLevelIs42203() {
        for (String path : new String[] {"/config", "/config/things-value"}) {
            RegistryHttp.Answer refused = registry.put(path, compatibilityBody("SIDEWAYS"));
            assertThat(refused.status()).as(path).isEqualTo(422);
            assertThat(refused.errorCode()).as(path).isEqualTo(42203);
            assertThat(refused.json().path("message").asText()).startsWith("Invalid compatibility level");
        }
        assertThat(registry.put("/config", "{}").errorCode()).isEqualTo(42203);
        assertThat(registry.get("/config").json().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
    }

    @Test
    void aSubjectLevelIsItsOwnUntilDeleted() {
        // No level of its own: 40408, whether the subject exists or not; defaultToGlobal answers the global one.
        assertThat(registry.get("/config/things-value").errorCode()).isEqualTo(40408);
        registry.register("things-value", THING);
        assertThat(registry.get("/config/things-value").errorCode()).isEqualTo(40408);
        assertThat(registry.get("/config/things-value?defaultToGlobal=true").body())
                .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        assertThat(registry.put("/config/things-value", compatibilityBody("NONE"))
                        .body())
                .isEqualTo("{\"compatibility\":\"NONE\"}");
        assertThat(registry.get("/config/things-value").body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(registry.put("/config/not-yet-value", compatibilityBody("FORWARD"))
                        .status())
                .as("a subject without versions may get a level")
                .isEqualTo(200);

        assertThat(registry.delete("/config/things-value").body()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
        assertThat(registry.delete("/config/things-value").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/config/things-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void eachSubjectIsCheckedWithItsOwnLevel() {
        registry.register("strict-value", THING);
        registry.register("loose-value", THING);
        registry.put("/config/loose-value", compatibilityBody("NONE"));

        assertThat(registry.register("strict-value", OTHER_THING).status()).isEqualTo(409);
        assertThat(registry.register("loose-value", OTHER_THING).status()).isEqualTo(200);
        assertThat(registry.get("/subjects/loose-value/versions").body()).isEqualTo("[1,2]");
    }

    private static final Schema OTHER_THING =
            SchemaBuilder.record("Thing").fields().requiredLong("count").endRecord();

    @Test
    void forwardRefusesWhatOldReadersCannotReadAndBackwardAllowsIt() {
        registry.register("backward-value", THING);
        registry.register("forward-value", THING);
        registry.put("/config/forward-value", compatibilityBody("FORWARD"));

        assertThat(registry.register("backward-value", EMPTY_THING).status())
                .as("a new reader ignores the dropped field")
                .isEqualTo(200);
        RegistryHttp.Answer refused = registry.register("forward-value", EMPTY_THING);
        assertThat(refused.status()).as("an old reader needs 'name'").isEqualTo(409);
        assertThat(refused.json().path("message").asText()).contains("compatibility: 'FORWARD'");
    }

    @Test
    void transitiveLevelsCheckEveryVersionThePlainOnesTheLatest() {
        for (String subject : new String[] {"plain-value", "transitive-value"}) {
            registry.register(subject, THING);
            registry.register(subject, EMPTY_THING);
        }
        registry.put("/config/transitive-value", compatibilityBody("BACKWARD_TRANSITIVE"));

        assertThat(registry.register("plain-value", NUMBERED_THING).status())
                .as("readable after version 2")
                .isEqualTo(200);
        RegistryHttp.Answer refused = registry.register("transitive-value", NUMBERED_THING);
        assertThat(refused.status())
                .as("not after version 1: 'name' was a string")
                .isEqualTo(409);
        assertThat(refused.json().path("message").asText()).contains("TYPE_MISMATCH", "{oldSchemaVersion: 1}");
    }

    @Test
    void fullNeedsBothDirections() {
        registry.put("/config", compatibilityBody("FULL"));
        registry.register("things-value", THING);

        assertThat(registry.register("things-value", EMPTY_THING).status()).isEqualTo(409);
        assertThat(registry.register("things-value", THING_WITH_SIZE).status()).isEqualTo(200);
    }

    @Test
    void theCompatibilityCheckAnswersWithoutRegistering() {
        registry.register("things-value", THING);
        String path = "/compatibility/subjects/things-value/versions/latest";

        assertThat(registry.post(path, schemaBody(THING_WITH_SIZE)).body()).isEqualTo("{\"is_compatible\":true}");
        assertThat(registry.post(path, schemaBody(OTHER_THING)).body()).isEqualTo("{\"is_compatible\":false}");
        RegistryHttp.Answer verbose = registry.post(path + "?verbose=true", schemaBody(OTHER_THING));
        assertThat(verbose.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.json().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(registry.post(path + "?verbose=true", schemaBody(THING_WITH_SIZE))
                        .body())
                .isEqualTo("{\"is_compatible\":true,\"messages\":[]}");
        assertThat(registry.get("/subjects/things-value/versions").body())
                .as("nothing registered")
                .isEqualTo("[1]");
    }

    @Test
    void theCompatibilityCheckOfAMissingSubjectOrVersionOrABadSchema() {
        assertThat(registry.post("/compatibility/subjects/nothing-value/versions/latest", schemaBody(THING))
                        .body())
                .as("nothing to be incompatible with")
                .isEqualTo("{\"is_compatible\":true}");
        assertThat(registry.post("/compatibility/subjects/nothing-value/versions/3", schemaBody(THING))
                        .errorCode())
                .isEqualTo(40402);
        registry.register("things-value", THING);
        assertThat(registry.post("/compatibility/subjects/things-value/versions/3", schemaBody(THING))
                        .errorCode())
                .isEqualTo(40402);
        assertThat(registry.post("/compatibility/subjects/things-value/versions/earliest", schemaBody(THING))
                        .errorCode())
                .isEqualTo(42202);
        String notAvro = "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}";
        assertThat(registry.post("/compatibility/subjects/things-value/versions/1", notAvro)
                        .errorCode())
                .isEqualTo(42201);
        RegistryHttp.Answer verbose =
                registry.post("/compatibility/subjects/things-value/versions/1?verbose=true", notAvro);
        assertThat(verbose.status()).as("verbose: a reason, not an error").isEqualTo(200);
        assertThat(verbose.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.json().path("messages").toString()).contains("Invalid schema");
    }

    @Test
    void theCheckAgainstOneVersionIgnoresTheOthersTheCheckAgainstAllUsesTheLevel() {
        registry.put("/config/things-value", compatibilityBody("BACKWARD_TRANSITIVE"));
        registry.register("things-value", THING);
        registry.register("things-value", EMPTY_THING);

        assertThat(registry.post("/compatibility/subjects/things-value/versions/2", schemaBody(NUMBERED_THING))
                        .body())
                .isEqualTo("{\"is_compatible\":true}");
        assertThat(registry.post("/compatibility/subjects/things-value/versions", schemaBody(NUMBERED_THING))
                        .body())
                .isEqualTo("{\"is_compatible\":false}");
    }
}
