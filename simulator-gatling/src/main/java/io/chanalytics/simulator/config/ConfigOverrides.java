package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Service;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyNameAliases;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Values that replace keys of the YAML without editing it, for compose and CI: a system property
 * ({@code -Dsimulator.requests_per_second}) wins over an environment variable ({@code SIMULATOR_REQUESTS_PER_SECOND}),
 * which wins over the file. Both are Spring Boot property sources, so their names are as relaxed as in any Boot
 * application ({@code -Dsimulator.requests-per-second} works too) and a variable matches its key the way
 * {@code SPRING_*} variables do. A blank value overrides nothing: compose passes a variable left empty in {@code .env}
 * as "".
 */
public record ConfigOverrides(Map<String, String> systemProperties, Map<String, String> environment) {

    private static final String PREFIX = "simulator";

    /** Spring maps {@code SIMULATOR_CRUD_API_BASE_URL} to {@code simulator.crud_api.base_url} for this name only. */
    private static final String ENVIRONMENT = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;

    private static final String SYSTEM_PROPERTIES = StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME;

    /**
     * The file's keys the overrides replace: every {@code simulation} key ({@code simulator.workers} answers
     * {@code simulation.workers}) and each service's base URL under either of its names
     * ({@code simulator.crud_api.base_url} answers {@code endpoints.crud_service.base_url} too).
     */
    private static final ConfigurationPropertyNameAliases FILE_KEYS = fileKeys();

    public static ConfigOverrides none() {
        return new ConfigOverrides(Map.of(), Map.of());
    }

    public static ConfigOverrides fromSystem() {
        Properties properties = System.getProperties();
        Map<String, String> systemProperties = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> systemProperties.put(name, properties.getProperty(name)));
        return new ConfigOverrides(systemProperties, System.getenv());
    }

    /** An override found for a name such as {@code run_id}, with where it came from. */
    public record Override(String source, String value) {}

    public Optional<Override> find(String name) {
        ConfigurationPropertyName key = ConfigurationPropertyName.adapt(PREFIX + "." + name, '.');
        return sources().stream()
                .map(source -> source.getConfigurationProperty(key))
                .filter(Objects::nonNull)
                .findFirst()
                .map(property -> new Override(origin(property).orElseThrow(), String.valueOf(property.getValue())));
    }

    /**
     * The overrides as sources of the file's keys, for the binder to read before the file. They list no names of their
     * own (Spring binds map entries only from sources that do), so a base URL override fills in the service the file
     * defines, under whichever name, and never adds one.
     */
    List<ConfigurationPropertySource> asFileKeys() {
        return sources().stream()
                .map(source -> ((ConfigurationPropertySource) source::getConfigurationProperty).withAliases(FILE_KEYS))
                .toList();
    }

    /** Where an override's value came from, as the user set it; empty for a value from the file. */
    static Optional<String> origin(ConfigurationProperty property) {
        if (!(property.getOrigin() instanceof PropertySourceOrigin origin)) {
            return Optional.empty();
        }
        String kind = switch (origin.getPropertySource().getName()) {
            case SYSTEM_PROPERTIES -> "system property ";
            case ENVIRONMENT -> "environment variable ";
            default -> null;
        };
        return Optional.ofNullable(kind).map(found -> found + origin.getPropertyName());
    }

    /** The variable that overrides {@code name} ({@code crud_api.base_url}), for messages that suggest one. */
    static String environmentVariable(String name) {
        return (PREFIX + "_" + name).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private List<ConfigurationPropertySource> sources() {
        return List.of(
                ConfigurationPropertySource.from(
                        new MapPropertySource(SYSTEM_PROPERTIES, simulatorEntries(systemProperties))),
                ConfigurationPropertySource.from(
                        new SystemEnvironmentPropertySource(ENVIRONMENT, simulatorEntries(environment))));
    }

    private static Map<String, Object> simulatorEntries(Map<String, String> values) {
        Map<String, Object> entries = new HashMap<>();
        values.forEach((name, value) -> {
            if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && !value.isBlank()) {
                entries.put(name, value);
            }
        });
        return entries;
    }

    private static ConfigurationPropertyNameAliases fileKeys() {
        ConfigurationPropertyNameAliases aliases = new ConfigurationPropertyNameAliases();
        for (RecordComponent component : SimulationSettings.class.getRecordComponents()) {
            String key = DataObjectPropertyName.toDashedForm(component.getName());
            aliases.addAliases(PREFIX + "." + key, "simulation." + key);
        }
        for (Service service : Service.values()) {
            aliases.addAliases(
                    ConfigurationPropertyName.adapt(PREFIX + "." + service.key() + ".base_url", '.'),
                    service.keys().stream()
                            .map(key -> ConfigurationPropertyName.adapt("endpoints." + key + ".base_url", '.'))
                            .toArray(ConfigurationPropertyName[]::new));
        }
        return aliases;
    }
}
