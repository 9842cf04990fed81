package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOverridesTests {

    @Test
    void environmentVariableNamesAreUpperCaseWithUnderscores() {
        assertThat(ConfigOverrides.environmentVariable("crud_api.base_url")).isEqualTo("SIMULATOR_CRUD_API_BASE_URL");
        assertThat(ConfigOverrides.environmentVariable("requests_per_second"))
                .isEqualTo("SIMULATOR_REQUESTS_PER_SECOND");
    }

    @Test
    void blankValuesDoNotOverride() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.workers", " "), Map.of("SIMULATOR_WORKERS", "", "SIMULATOR_RAMP_SECONDS", "5"));

        assertThat(overrides.find("workers")).isEmpty();
        assertThat(overrides.find("ramp_seconds"))
                .contains(new ConfigOverrides.Override("environment variable SIMULATOR_RAMP_SECONDS", "5"));
    }
}
