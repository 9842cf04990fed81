package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.convert.ConversionFailedException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.ConverterNotFoundException;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Spring Boot's {@link Binder} maps {@code config.yaml} and the overrides onto the records as it maps any Boot
 * application's configuration: the file's snake_case keys bind to the record components by relaxed names, the
 * overrides are read before the file, and a key no component takes is refused ({@link NoUnboundElementsBindHandler}),
 * so a misspelled key cannot silently fall back to a default. A failure becomes a {@link ConfigException} that starts
 * with the key at fault, as the file writes it.
 */
final class ConfigBinding {

    /** The key of a problem with the file as a whole. */
    static final String DOCUMENT = "(document)";

    private static final ConversionService CONVERSIONS = conversions();

    private ConfigBinding() {}

    /** The YAML flattened into keys such as {@code user_types[0].think_time_seconds[1]}; a key written twice fails. */
    static EnumerablePropertySource<?> read(String yaml, String source) {
        List<PropertySource<?>> documents;
        try {
            documents = new YamlPropertySourceLoader()
                    .load(source, new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8), source));
        } catch (MarkedYAMLException malformed) {
            Mark mark = malformed.getProblemMark();
            String line = mark == null ? "" : " (line " + (mark.getLine() + 1) + ")";
            throw new ConfigException(DOCUMENT, "is not valid YAML: " + malformed.getProblem() + line);
        } catch (YAMLException malformed) {
            throw new ConfigException(DOCUMENT, "is not valid YAML: " + malformed.getMessage());
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
        if (documents.size() != 1) {
            throw new ConfigException(
                    DOCUMENT, documents.isEmpty() ? "is empty" : "holds " + documents.size() + " YAML documents");
        }
        return (EnumerablePropertySource<?>) documents.getFirst();
    }

    static SimulatorConfig bind(EnumerablePropertySource<?> file, KeyLabels labels) {
        List<ConfigurationPropertySource> sources = new ArrayList<>(labels.overrides());
        sources.add(ConfigurationPropertySource.from(file));
        try {
            return new Binder(sources, null, CONVERSIONS)
                    .bind(
                            ConfigurationPropertyName.EMPTY,
                            Bindable.of(SimulatorConfig.class),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseThrow(() -> new ConfigException(DOCUMENT, "is empty"));
        } catch (BindException failure) {
            throw problem(failure, labels);
        }
    }

    /** The file's key for a record component: {@code requestsPerSecond} is written {@code requests_per_second}. */
    static String yamlName(String componentName) {
        return DataObjectPropertyName.toDashedForm(componentName).replace('-', '_');
    }

    /**
     * Spring Boot's conversions, which already read {@code methods: [get]} as GET, plus the two names of each service,
     * and stricter numbers: {@code workers: 2.5} is a mistake, not 2, and {@code methods: [1]} is not POST.
     */
    private static ConversionService conversions() {
        ApplicationConversionService conversions = new ApplicationConversionService();
        conversions.addConverter(String.class, Service.class, Service::fromKey);
        conversions.addConverter(Double.class, Integer.class, number -> {
            if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("not a whole number: " + number);
            }
            return number.intValue();
        });
        conversions.addConverter(Integer.class, HttpMethod.class, number -> {
            throw new IllegalArgumentException("not a method: " + number);
        });
        return conversions;
    }

    private static ConfigException problem(BindException failure, KeyLabels labels) {
        if (failure.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
            List<String> keys = unbound.getUnboundProperties().stream()
                    .map(property -> labels.label(keyPath(property.getName())))
                    .toList();
            String others = keys.stream()
                    .skip(1)
                    .map(key -> "; " + key + ": unknown key")
                    .collect(Collectors.joining());
            return new ConfigException(keys.getFirst(), "unknown key" + others);
        }
        String problem = switch (failure.getCause()) {
            case ConversionFailedException invalid ->
                invalidValue(invalid.getValue(), invalid.getTargetType().getType());
            // A single value where a list or a mapping belongs (the other way round, its keys are unknown keys).
            case ConverterNotFoundException mismatch ->
                Collection.class.isAssignableFrom(failure.getTarget().getType().resolve(Object.class))
                        ? "must be a list"
                        : "must be a mapping of keys to values";
            case null, default -> failure.getMessage();
        };
        return new ConfigException(labels.label(keyPath(failure.getName())), problem);
    }

    /** The name Spring bound, as the file writes it: {@code user_types[2].requests_per_session[1]}. */
    private static String keyPath(ConfigurationPropertyName name) {
        StringBuilder key = new StringBuilder();
        for (int index = 0; index < name.getNumberOfElements(); index++) {
            String element = name.getElement(index, ConfigurationPropertyName.Form.ORIGINAL);
            if (name.isNumericIndex(index)) {
                key.append('[').append(element).append(']');
            } else {
                key.append(key.isEmpty() ? "" : ".").append(element.replace('-', '_'));
            }
        }
        return key.isEmpty() ? DOCUMENT : key.toString();
    }

    private static String invalidValue(Object value, Class<?> type) {
        if (type == HttpMethod.class) {
            return "unknown HTTP method '" + value + "'";
        }
        if (type == Service.class) {
            return "unknown service '" + value + "' (known: "
                    + Arrays.stream(Service.values()).map(Service::key).collect(Collectors.joining(", ")) + ")";
        }
        if (type == Integer.class) {
            return value instanceof Number
                    ? "must be a whole number, found " + value
                    : "'" + value + "' is not a whole number";
        }
        if (type == Double.class) {
            return "'" + value + "' is not a number";
        }
        return "'" + value + "' is not valid here";
    }
}
