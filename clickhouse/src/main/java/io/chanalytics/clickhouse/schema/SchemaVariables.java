package io.chanalytics.clickhouse.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The {@code ${VAR}} values the schema files use. Their names and defaults (for a laptop: Kafka on localhost:9092, the
 * registry on localhost:8081) are data, in {@code clickhouse/schema/variables.env} (read with the JDK's properties
 * reader), the only place the names are declared: callers name a variable as the SQL does, and a name the file does
 * not declare is refused, so a misspelt override fails instead of being ignored.
 */
public final class SchemaVariables {

    private static final String DEFAULTS_FILE = "/clickhouse/schema/variables.env";

    private SchemaVariables() {}

    /** Every variable with its default value, by name. */
    public static Map<String, String> defaults() {
        try (InputStream in = SchemaVariables.class.getResourceAsStream(DEFAULTS_FILE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_FILE + " is missing from the classpath");
            }
            Properties file = new Properties();
            file.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> values = new TreeMap<>();
            file.stringPropertyNames()
                    .forEach(name -> values.put(name, file.getProperty(name).strip()));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DEFAULTS_FILE, e);
        }
    }

    /** The defaults, each overridden by the environment variable of the same name when it is set. */
    public static Map<String, String> fromEnvironment() {
        return withOverrides(System::getenv);
    }

    /** The defaults, each overridden by {@code lookup.apply(name)} when that is not blank. */
    public static Map<String, String> withOverrides(UnaryOperator<String> lookup) {
        Map<String, String> values = defaults();
        values.replaceAll((name, value) -> {
            String override = lookup.apply(name);
            return override == null || override.isBlank() ? value : override.strip();
        });
        return values;
    }

    /** The defaults with {@code overrides}, each of which must name a variable the file declares. */
    public static Map<String, String> with(Map<String, String> overrides) {
        return with(defaults(), overrides);
    }

    /** {@code variables} with {@code overrides}, each of which must name one of them. */
    public static Map<String, String> with(Map<String, String> variables, Map<String, String> overrides) {
        Map<String, String> values = new TreeMap<>(variables);
        overrides.forEach((name, value) -> {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(
                        "No schema variable " + name + " in " + DEFAULTS_FILE + " (known: " + values.keySet() + ")");
            }
            values.put(name, value.strip());
        });
        return values;
    }
}
