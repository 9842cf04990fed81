package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOverridesTests {

    /** The variable a message suggests (an unreachable base URL's) is one Spring's binding reads for that key. */
    @Test
    void environmentVariableNamesAreUpperCaseWithUnderscores() {
        assertThat(ConfigOverrides.environmentVariable("crud_api.base_url")).isEqualTo("SIMULATOR_CRUD_API_BASE_URL");
        assertThat(ConfigOverrides.environmentVariable("requests_per_second"))
                .isEqualTo("SIMULATOR_REQUESTS_PER_SECOND");
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of(), Map.of(ConfigOverrides.environmentVariable("crud_api.base_url"), "http://crud:9001"));

        assertThat(overrides.find("crud_api.base_url"))
                .contains(new ConfigOverrides.Override(
                        "environment variable SIMULATOR_CRUD_API_BASE_URL", "http://crud:9001"));
    }

    @Test
    void blankValuesDoNotOverride() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.workers", " "), Map.of("SIMULATOR_WORKERS", "", "SIMULATOR_RAMP_SECONDS", "5"));

        assertThat(overrides.find("workers")).isEmpty();
        assertThat(overrides.find("ramp_seconds"))
                .contains(new ConfigOverrides.Override("environment variable SIMULATOR_RAMP_SECONDS", "5"));
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.run_id", "from-property"), Map.of("SIMULATOR_RUN_ID", "from-environment"));

        assertThat(overrides.find("run_id"))
                .contains(new ConfigOverrides.Override("system property simulator.run_id", "from-property"));
    }

    /** The variables compose gives the simulator for signing in reach the keys LoadSimulation reads. */
    @Test
    void composesKeycloakVariablesReachTheSignInKeys() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of(),
                Map.of(
                        "SIMULATOR_KEYCLOAK_URL", "http://keycloak:8080",
                        "SIMULATOR_KEYCLOAK_REALM", "chanalytics",
                        "SIMULATOR_KEYCLOAK_PASSWORD", "demo"));

        assertThat(overrides.find("keycloak_url").map(ConfigOverrides.Override::value))
                .contains("http://keycloak:8080");
        assertThat(overrides.find("keycloak_realm").map(ConfigOverrides.Override::value))
                .contains("chanalytics");
        assertThat(overrides.find("keycloak_password").map(ConfigOverrides.Override::value))
                .contains("demo");
    }
}
