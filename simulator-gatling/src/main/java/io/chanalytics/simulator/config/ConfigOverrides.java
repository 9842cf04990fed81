package io.chanalytics.simulator.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Values that replace keys of the YAML without editing it, for compose and CI. A key such as
 * {@code simulation.requests_per_second} is read from the system property {@code simulator.requests_per_second}, then
 * from the environment variable {@code SIMULATOR_REQUESTS_PER_SECOND}; a service's base URL from
 * {@code simulator.crud_api.base_url} / {@code SIMULATOR_CRUD_API_BASE_URL}.
 */
public record ConfigOverrides(Map<String, String> systemProperties, Map<String, String> environment) {

    public static ConfigOverrides none() {
        return new ConfigOverrides(Map.of(), Map.of());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ConfigOverrides fromSystem() {
        return new ConfigOverrides(Map.copyOf((Map) System.getProperties()), System.getenv());
    }

    /** An override found for a name such as {@code requests_per_second}, with where it came from. */
    public record Override(String source, String value) {}

    public Optional<Override> find(String name) {
        String property = "simulator." + name;
        String value = systemProperties.get(property);
        if (value != null && !value.isBlank()) {
            return Optional.of(new Override("system property " + property, value));
        }
        String variable = environmentVariable(name);
        value = environment.get(variable);
        if (value != null && !value.isBlank()) {
            return Optional.of(new Override("environment variable " + variable, value));
        }
        return Optional.empty();
    }

    static String environmentVariable(String name) {
        return "SIMULATOR_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
