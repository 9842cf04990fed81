package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.chanalytics.metrics.publish.EventTopics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults file, read as data, checked against the one other place a fact of it lives. */
class SchemaVariablesTests {

    @Test
    void theTopicDefaultsAreTheProducersTopics() {
        Map<String, String> defaults = SchemaVariables.defaults();

        assertThat(List.of(
                        defaults.get("CH_TOPIC_REQUEST_EVENTS"),
                        defaults.get("CH_TOPIC_BUSINESS_EVENTS"),
                        defaults.get("CH_TOPIC_SYSTEM_METRICS")))
                .isEqualTo(EventTopics.DEFAULTS.all());
    }

    @Test
    void everyVariableHasADefaultAndOverridesReplaceOnlyTheirOwn() {
        Map<String, String> defaults = SchemaVariables.defaults();
        assertThat(defaults).hasSize(13).allSatisfy((name, value) -> {
            assertThat(name).startsWith("CH_");
            assertThat(value).isNotBlank();
        });

        Map<String, String> overridden = SchemaVariables.withOverrides(Map.of("CH_RAW_TTL_DAYS", " 30 ")::get);

        assertThat(overridden.get("CH_RAW_TTL_DAYS")).isEqualTo("30");
        assertThat(overridden).hasSameSizeAs(defaults);
        defaults.forEach((name, value) -> {
            if (!name.equals("CH_RAW_TTL_DAYS")) {
                assertThat(overridden.get(name)).as(name).isEqualTo(value);
            }
        });
        assertThat(SchemaVariables.with(Map.of("CH_RAW_TTL_DAYS", "7"))).containsEntry("CH_RAW_TTL_DAYS", "7");
    }

    /** The names are the file's: a misspelt override is refused instead of silently doing nothing. */
    @Test
    void anOverrideOfAVariableTheFileDoesNotDeclareIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SchemaVariables.with(Map.of("CH_KAFKA_BROKERS", "kafka:9092")))
                .withMessageContaining("CH_KAFKA_BROKERS")
                .withMessageContaining("CH_KAFKA_BROKER_LIST");
    }
}
