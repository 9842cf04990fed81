package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Service;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;

/**
 * How messages name a key: as the file spells it (the original simulator's config writes {@code crud_service} where
 * ours writes {@code crud_api}), followed by the override that set its value, if one did:
 * {@code simulation.workers (from environment variable SIMULATOR_WORKERS)}.
 *
 * @param serviceNames the name the file gives each service it defines
 * @param overrides the overrides as sources of the file's keys ({@link ConfigOverrides#asFileKeys()})
 */
record KeyLabels(Map<Service, String> serviceNames, List<ConfigurationPropertySource> overrides) {

    private static final String ENDPOINTS = "endpoints.";

    /** A key built from {@link Service#key()} becomes the file's name of the service; a key as written stays. */
    String label(String key) {
        String asWritten = key;
        for (Map.Entry<Service, String> service : serviceNames.entrySet()) {
            String canonical = ENDPOINTS + service.getKey().key();
            if (key.equals(canonical) || key.startsWith(canonical + ".")) {
                asWritten = ENDPOINTS + service.getValue() + key.substring(canonical.length());
            }
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(asWritten, '.');
        String label = asWritten;
        return overrides.stream()
                .map(source -> source.getConfigurationProperty(name))
                .filter(Objects::nonNull)
                .findFirst()
                .flatMap(ConfigOverrides::origin)
                .map(origin -> label + " (from " + origin + ")")
                .orElse(label);
    }
}
