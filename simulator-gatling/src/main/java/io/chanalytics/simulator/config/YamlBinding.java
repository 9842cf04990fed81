package io.chanalytics.simulator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Service;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Jackson's side of loading: the YAML text into a tree, the tree into {@link SimulatorConfig}, and Jackson's errors
 * into {@link ConfigException}s that start with the key path Jackson was binding ({@code endpoints.crud_api.endpoints[2]
 * .methods[1]}).
 */
final class YamlBinding {

    static final String DOCUMENT = "(document)";

    /** The YAML keys are the snake_case of the records' components; validation messages map names back with it. */
    private static final PropertyNamingStrategies.NamingBase NAMING =
            PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE;

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(NAMING)
            // A misspelled key must not silently fall back to a default.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // Nor may a key written twice silently keep the last value.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // workers: 2.5 is a mistake, not 2.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // methods: [1] is a mistake, not the first method.
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Keys come from the creators only: a list-valued accessor (SimulatorConfig.warnings) is not a key.
            .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
            .build();

    private YamlBinding() {}

    static String yamlName(String componentName) {
        return NAMING.translate(componentName);
    }

    static JsonNode read(String yaml) {
        JsonNode document;
        try {
            document = MAPPER.readTree(yaml);
        } catch (JsonProcessingException malformed) {
            throw new ConfigException(DOCUMENT, "is not valid YAML: " + malformed.getOriginalMessage());
        }
        if (document == null || document.isMissingNode() || document.isNull()) {
            throw new ConfigException(DOCUMENT, "is empty");
        }
        return document;
    }

    static SimulatorConfig bind(JsonNode document, OverriddenKeys overridden) {
        try {
            return MAPPER.treeToValue(document, SimulatorConfig.class);
        } catch (JsonMappingException failure) {
            throw new ConfigException(overridden.label(keyPath(failure.getPath())), problem(failure));
        } catch (JsonProcessingException failure) {
            throw new ConfigException(DOCUMENT, failure.getOriginalMessage());
        }
    }

    private static String keyPath(List<JsonMappingException.Reference> path) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getIndex() >= 0) {
                key.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                key.append(key.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return key.isEmpty() ? DOCUMENT : key.toString();
    }

    private static String problem(JsonMappingException failure) {
        return switch (failure) {
            case PropertyBindingException unknown ->
                "unknown key (known here: " + sorted(unknown.getKnownPropertyIds()) + ")";
            case InvalidFormatException invalid -> invalidValue(invalid.getValue(), invalid.getTargetType());
            // Thrown by a creator such as Range.fromPair, whose message is written for the user.
            case ValueInstantiationException refused
            when refused.getCause() != null -> refused.getCause().getMessage();
            case MismatchedInputException mismatch
            when mismatch.getTargetType() != null -> expected(mismatch.getTargetType());
            default -> failure.getOriginalMessage();
        };
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

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return "must be a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be a mapping of keys to values";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        return "must be a text";
    }

    private static String sorted(Collection<Object> names) {
        return names.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }
}
