package io.chanalytics.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chanalytics.simulator.endpoints.Service;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes the {@link ConfigOverrides} into the parsed YAML before it is bound, so an overridden value goes through the
 * same binding and validation as one from the file, and remembers where each came from for the messages.
 *
 * @param sources where the value of each overridden key came from, by key path ({@code simulation.workers})
 */
record OverriddenKeys(Map<String, String> sources) {

    private static final String SIMULATION = "simulation";
    private static final String ENDPOINTS = "endpoints";
    private static final String BASE_URL = "base_url";

    /**
     * Every {@code simulation} key ({@code -Dsimulator.workers}) and each service's base URL
     * ({@code -Dsimulator.crud_api.base_url}). A section missing from the file stays missing: the error names it.
     */
    static OverriddenKeys apply(JsonNode document, ConfigOverrides overrides) {
        Map<String, String> sources = new HashMap<>();
        if (document.get(SIMULATION) instanceof ObjectNode simulation) {
            for (RecordComponent component : SimulationSettings.class.getRecordComponents()) {
                String key = YamlBinding.yamlName(component.getName());
                overrides.find(key).ifPresent(found -> put(simulation, SIMULATION, key, found, sources));
            }
        }
        for (Service service : Service.values()) {
            if (document.path(ENDPOINTS).get(service.key()) instanceof ObjectNode settings) {
                String parentPath = ENDPOINTS + "." + service.key();
                overrides
                        .find(service.key() + "." + BASE_URL)
                        .ifPresent(found -> put(settings, parentPath, BASE_URL, found, sources));
            }
        }
        return new OverriddenKeys(Map.copyOf(sources));
    }

    /** As text, like an environment variable: binding converts it and reports it with the key if it cannot. */
    private static void put(
            ObjectNode parent,
            String parentPath,
            String key,
            ConfigOverrides.Override found,
            Map<String, String> sources) {
        parent.put(key, found.value());
        sources.put(parentPath + "." + key, found.source());
    }

    /** The key path, followed by where its value came from when an override set it. */
    String label(String key) {
        String source = sources.get(key);
        return source == null ? key : key + " (from " + source + ")";
    }
}
