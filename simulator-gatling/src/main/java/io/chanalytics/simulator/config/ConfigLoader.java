package io.chanalytics.simulator.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Reads {@code config.yaml} into a {@link SimulatorConfig} and checks it before any load is sent: Spring Boot's binding
 * of the file with its overrides ({@link ConfigBinding}), Bean Validation of each value, then the
 * {@link CrossReferences} between keys, which also collect the warnings the run prints when it starts. Without a
 * {@code config} override the copy of {@code simulator-gatling/config.yaml} packaged on the classpath is used.
 */
public final class ConfigLoader {

    static final String DEFAULT_RESOURCE = "config.yaml";

    private ConfigLoader() {}

    public static SimulatorConfig load(ConfigOverrides overrides) {
        Optional<ConfigOverrides.Override> path = overrides.find("config");
        Resource resource = path.<Resource>map(found -> new FileSystemResource(found.value()))
                .orElseGet(() -> new ClassPathResource(DEFAULT_RESOURCE, ConfigLoader.class.getClassLoader()));
        if (!resource.isReadable()) {
            throw new ConfigException(
                    "config",
                    path.map(found -> "file " + Path.of(found.value()).toAbsolutePath() + " (from " + found.source()
                                    + ") is not readable")
                            .orElse("no " + DEFAULT_RESOURCE + " on the classpath and no override"));
        }
        try {
            return parse(
                    resource.getContentAsString(StandardCharsets.UTF_8),
                    path.map(found -> Path.of(found.value()).toString()).orElse("classpath:" + DEFAULT_RESOURCE),
                    overrides);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public static SimulatorConfig parse(String yaml, String source, ConfigOverrides overrides) {
        EnumerablePropertySource<?> file = ConfigBinding.read(yaml, source);
        KeyLabels labels =
                new KeyLabels(CrossReferences.serviceNames(List.of(file.getPropertyNames())), overrides.asFileKeys());
        SimulatorConfig config = ConfigBinding.bind(file, labels).withSource(source);
        ConfigValidation.check(config, labels);
        return config.withWarnings(CrossReferences.check(config, labels));
    }
}
