package io.chanalytics.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Confluent's compatibility levels for Avro: which earlier versions a new schema is checked against (the latest, or
 * all of them for the transitive levels) and in which direction (BACKWARD: the new schema reads data written with the
 * old; FORWARD: the old reads the new; FULL: both), with Avro's own reader/writer check.
 */
enum CompatibilityLevel {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE;

    /** The registry's default, as Confluent's ({@code schema.compatibility.level=backward}). */
    static final CompatibilityLevel DEFAULT = BACKWARD;

    /** Case-insensitive, as Confluent reads a level; anything else is its 42203. */
    static CompatibilityLevel named(String name) {
        if (name == null) {
            throw RegistryException.invalidCompatibility();
        }
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibility();
        }
    }

    boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /**
     * What keeps {@code candidate} from following {@code previous} (the earlier versions, newest first, those this
     * level looks at), in Confluent's message form; empty when compatible. Stops at the first version that fails, as
     * Confluent does.
     */
    List<String> problems(Schema candidate, List<Version> previous) {
        if (this == NONE) {
            return List.of();
        }
        List<Version> checked =
                transitive() ? previous : previous.stream().limit(1).toList();
        for (Version old : checked) {
            List<String> problems = new ArrayList<>();
            if (this != BACKWARD && this != BACKWARD_TRANSITIVE) {
                problems.addAll(differences(old.schema(), candidate));
            }
            if (this != FORWARD && this != FORWARD_TRANSITIVE) {
                List<String> backward = differences(candidate, old.schema());
                problems.addAll(backward);
                if (!backward.isEmpty()) {
                    problems.add("{oldSchemaVersion: " + old.version() + "}");
                    problems.add("{oldSchema: '" + old.schema() + "'}");
                }
            }
            if (!problems.isEmpty()) {
                problems.add("{validateFields: 'false', compatibility: '" + name() + "'}");
                return problems;
            }
        }
        return List.of();
    }

    /** Avro's reasons why {@code reader} cannot read what {@code writer} wrote. */
    private static List<String> differences(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        List<String> differences = new ArrayList<>();
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            differences.add("{errorType:'" + incompatibility.getType() + "', description:'"
                    + incompatibility.getMessage() + ", at path " + incompatibility.getLocation()
                    + "', additionalInfo:'" + incompatibility.getMessage() + "'}");
        }
        return differences;
    }

    /** A stored version, as the check needs it. */
    record Version(int version, Schema schema) {}
}
