package io.chanalytics.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chanalytics.simulator.endpoints.Service;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@link ConfigOverrides} into the parsed YAML before it is bound, so an overridden value goes through the
 * same binding and validation as one from the file, and remembers where each came from for the messages. It also
 * remembers which of a service's names the file used ({@code crud_service} in a config of the original simulator), so
 * messages name the key as the user wrote it.
 *
 * @param sources where the value of each overridden key came from, by key path as written ({@code simulation.workers})
 * @param writtenServiceKeys the file's name of each service written under another name than its canonical key, by
 *     canonical key path ({@code endpoints.crud_api} to {@code endpoints.crud_service})
 */
record OverriddenKeys(Map<String, String> sources, Map<String, String> writtenServiceKeys) {

    private static final String SIMULATION = "simulation";
    private static final String ENDPOINTS = "endpoints";
    private static final String BASE_URL = "base_url";

    /**
     * Every {@code simulation} key ({@code -Dsimulator.workers}) and each service's base URL
     * ({@code -Dsimulator.crud_api.base_url}, whichever name the file gives the service). A section missing from the
     * file stays missing: the error names it.
     */
    static OverriddenKeys apply(JsonNode document, ConfigOverrides overrides) {
        Map<String, String> sources = new HashMap<>();
        Map<String, String> written = new HashMap<>();
        if (document.get(SIMULATION) instanceof ObjectNode simulation) {
            for (RecordComponent component : SimulationSettings.class.getRecordComponents()) {
                String key = YamlBinding.yamlName(component.getName());
                overrides.find(key).ifPresent(found -> put(simulation, SIMULATION, key, found, sources));
            }
        }
        for (Service service : Service.values()) {
            List<String> names = service.keys().stream()
                    .filter(name -> document.path(ENDPOINTS).has(name))
                    .toList();
            if (names.size() > 1) {
                throw new ConfigException(
                        ENDPOINTS + "." + names.get(1),
                        "names the same service as " + ENDPOINTS + "." + names.get(0) + "; keep one of them");
            }
            if (names.isEmpty()) {
                continue;
            }
            String parentPath = ENDPOINTS + "." + names.getFirst();
            if (!names.getFirst().equals(service.key())) {
                written.put(ENDPOINTS + "." + service.key(), parentPath);
            }
            if (document.path(ENDPOINTS).get(names.getFirst()) instanceof ObjectNode settings) {
                overrides
                        .find(service.key() + "." + BASE_URL)
                        .ifPresent(found -> put(settings, parentPath, BASE_URL, found, sources));
            }
        }
        return new OverriddenKeys(Map.copyOf(sources), Map.copyOf(written));
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

    /**
     * The key path as the file spells it, followed by where its value came from when an override set it. Keys built
     * from {@link Service#key()} become the file's name of the service; Jackson's paths already are.
     */
    String label(String key) {
        String asWritten = key;
        for (Map.Entry<String, String> service : writtenServiceKeys.entrySet()) {
            if (key.equals(service.getKey()) || key.startsWith(service.getKey() + ".")) {
                asWritten = service.getValue() + key.substring(service.getKey().length());
            }
        }
        String source = sources.get(asWritten);
        return source == null ? asWritten : asWritten + " (from " + source + ")";
    }
}
