package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Service;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Bean Validation of the bound records, run on the whole config once binding is done (rather than object by object
 * while binding, which stops at the first object in error): each violation becomes a line that starts with its YAML key
 * path, built from the violation's property path with the file's snake_case names. The wording of the standard
 * constraints is in {@code ValidationMessages.properties}.
 */
final class ConfigValidation {

    /**
     * Built once per JVM. The parameter-only interpolator needs no Expression Language implementation on the
     * classpath; the messages only use the constraints' own attributes.
     */
    private static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator(Set.of(Locale.ROOT), Locale.ROOT, false))
            .buildValidatorFactory()
            .getValidator();

    private ConfigValidation() {}

    /** Reports every violation, sorted by key, so one run shows all the values to fix. */
    static void check(SimulatorConfig config, KeyLabels labels) {
        List<Problem> problems = VALIDATOR.validate(config).stream()
                .map(violation -> new Problem(labels.label(keyPath(violation.getPropertyPath())), describe(violation)))
                .sorted(Comparator.comparing(Problem::key))
                .toList();
        if (!problems.isEmpty()) {
            String others = problems.stream()
                    .skip(1)
                    .map(problem -> "; " + problem.key() + ": " + problem.text())
                    .collect(Collectors.joining());
            throw new ConfigException(
                    problems.getFirst().key(), problems.getFirst().text() + others);
        }
    }

    private record Problem(String key, String text) {}

    /** {@code userTypes[0].thinkTimeSeconds[1]} becomes {@code user_types[0].think_time_seconds[1]}. */
    private static String keyPath(Path path) {
        StringBuilder key = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                key.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() instanceof Service service) {
                key.append('.').append(service.key());
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                key.append(key.isEmpty() ? "" : ".").append(ConfigBinding.yamlName(node.getName()));
            }
        }
        return key.toString();
    }

    /** The value found follows a number's or a list's message and precedes a text's, so each reads as a sentence. */
    private static String describe(ConstraintViolation<?> violation) {
        return switch (violation.getInvalidValue()) {
            case Number number -> violation.getMessage() + ", found " + ConfigException.format(number);
            case CharSequence text when !text.toString().isBlank() -> "'" + text + "' " + violation.getMessage();
            case Collection<?> values when !values.isEmpty() -> violation.getMessage() + ", found " + values;
            case null, default -> violation.getMessage();
        };
    }
}
