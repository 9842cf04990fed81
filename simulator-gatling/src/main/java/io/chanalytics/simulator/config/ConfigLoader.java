package io.chanalytics.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code config.yaml} into a {@link SimulatorConfig} and checks it before any load is sent: overrides written
 * into the parsed YAML, Jackson binding (unknown keys refused), Bean Validation of each value, then the
 * {@link CrossReferences} between keys, which also collect the warnings the run prints when it starts. Without a {@code config} override the copy of
 * {@code simulator-gatling/config.yaml} packaged on the classpath is used.
 */
public final class ConfigLoader {

    static final String DEFAULT_RESOURCE = "config.yaml";

    private ConfigLoader() {}

    public static SimulatorConfig load(ConfigOverrides overrides) {
        Optional<ConfigOverrides.Override> path = overrides.find("config");
        if (path.isPresent()) {
            Path file = Path.of(path.get().value());
            if (!Files.isReadable(file)) {
                throw new ConfigException(
                        "config",
                        "file " + file.toAbsolutePath() + " (from " + path.get().source() + ") is not readable");
            }
            try {
                return parse(Files.readString(file), file.toString(), overrides);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        try (InputStream resource = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (resource == null) {
                throw new ConfigException("config", "no " + DEFAULT_RESOURCE + " on the classpath and no override");
            }
            return parse(
                    new String(resource.readAllBytes(), StandardCharsets.UTF_8), "classpath:config.yaml", overrides);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public static SimulatorConfig parse(String yaml, String source, ConfigOverrides overrides) {
        JsonNode document = YamlBinding.read(yaml);
        OverriddenKeys overridden = OverriddenKeys.apply(document, overrides);
        SimulatorConfig config = YamlBinding.bind(document, overridden).withSource(source);
        ConfigValidation.check(config, overridden);
        return config.withWarnings(CrossReferences.check(config, overridden));
    }
}
