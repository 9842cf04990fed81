package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.metrics.publish.EventTopics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The defaults file both runners read, checked against the one other place a fact of it lives. */
class SchemaVariablesTests {

    @Test
    void theTopicDefaultsAreTheProducersTopics() {
        Map<String, String> defaults = SchemaVariables.defaults();

        assertThat(List.of(
                        defaults.get(SchemaVariables.TOPIC_REQUEST_EVENTS),
                        defaults.get(SchemaVariables.TOPIC_BUSINESS_EVENTS),
                        defaults.get(SchemaVariables.TOPIC_SYSTEM_METRICS)))
                .isEqualTo(EventTopics.DEFAULTS.all());
    }

    @Test
    void everyVariableHasADefaultAndOverridesReplaceOnlyTheirOwn() {
        Map<String, String> defaults = SchemaVariables.defaults();
        assertThat(defaults).hasSize(13).allSatisfy((name, value) -> {
            assertThat(name).startsWith("CH_");
            assertThat(value).isNotBlank();
        });

        Map<String, String> overridden =
                SchemaVariables.withOverrides(Map.of(SchemaVariables.RAW_TTL_DAYS, " 30 ")::get);

        assertThat(overridden.get(SchemaVariables.RAW_TTL_DAYS)).isEqualTo("30");
        assertThat(overridden).hasSameSizeAs(defaults);
        defaults.forEach((name, value) -> {
            if (!name.equals(SchemaVariables.RAW_TTL_DAYS)) {
                assertThat(overridden.get(name)).as(name).isEqualTo(value);
            }
        });
    }
}
