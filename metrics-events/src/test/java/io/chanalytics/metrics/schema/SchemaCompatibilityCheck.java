package io.chanalytics.metrics.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Guards schema evolution: every schema in the current directory must be able to read data written with every kept
 * version of it ({@code src/schema-history/v1}, {@code v2}, ...), which is the registry's BACKWARD rule. Data already in
 * Kafka and ClickHouse's cached writer schemas depend on it. Runs in the build ({@code process-classes}) and fails it.
 */
public final class SchemaCompatibilityCheck {

    private SchemaCompatibilityCheck() {}

    /** Returns one line per incompatibility; empty when the current schemas are compatible with all kept versions. */
    public static List<String> check(Path currentDirectory, Path historyDirectory) {
        Map<String, Schema> current = parseDirectory(currentDirectory);
        List<String> problems = new ArrayList<>();
        for (Path versionDirectory : versionDirectories(historyDirectory)) {
            for (Schema old : parseDirectory(versionDirectory).values()) {
                Schema now = current.get(old.getFullName());
                if (now == null) {
                    problems.add(old.getFullName() + " from " + versionDirectory.getFileName() + " was removed");
                    continue;
                }
                var result = SchemaCompatibility.checkReaderWriterCompatibility(now, old);
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    result.getResult()
                            .getIncompatibilities()
                            .forEach(incompatibility -> problems.add(old.getFullName()
                                    + " cannot read data written with "
                                    + versionDirectory.getFileName() + ": " + incompatibility.getType() + " at "
                                    + incompatibility.getLocation() + fieldName(now, incompatibility.getLocation())
                                    + " (" + incompatibility.getMessage() + ")"));
                }
            }
        }
        return problems;
    }

    /** Names the top-level field a location such as {@code /fields/6/type} points at, for a readable message. */
    private static String fieldName(Schema record, String location) {
        String[] parts = location.split("/");
        if (parts.length > 2 && parts[1].equals("fields") && parts[2].matches("\\d+")) {
            int index = Integer.parseInt(parts[2]);
            if (index < record.getFields().size()) {
                return " [field " + record.getFields().get(index).name() + "]";
            }
        }
        return "";
    }

    /**
     * Parses every {@code .avsc} of a directory with one parser, so records may refer to named types defined in
     * sibling files; files are retried until the ones they depend on have been parsed.
     */
    static Map<String, Schema> parseDirectory(Path directory) {
        List<Path> pending = avscFiles(directory);
        Map<String, Schema> schemas = new LinkedHashMap<>();
        var parser = new Schema.Parser();
        while (!pending.isEmpty()) {
            List<Path> failed = new ArrayList<>();
            AvroRuntimeException lastError = null;
            for (Path file : pending) {
                try {
                    Schema schema = parser.parse(Files.readString(file));
                    schemas.put(schema.getFullName(), schema);
                } catch (AvroRuntimeException e) {
                    failed.add(file);
                    lastError = e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (failed.size() == pending.size()) {
                throw new IllegalStateException("Cannot parse " + failed + ": " + lastError.getMessage(), lastError);
            }
            pending = failed;
        }
        return schemas;
    }

    private static List<Path> avscFiles(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    private static List<Path> versionDirectories(Path historyDirectory) {
        try (Stream<Path> entries = Files.list(historyDirectory)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + historyDirectory, e);
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: SchemaCompatibilityCheck <current-dir> <history-dir>");
        }
        List<String> problems = check(Path.of(args[0]), Path.of(args[1]));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Avro schema change is not backward compatible:\n  - "
                    + String.join("\n  - ", problems)
                    + "\nAdd fields with defaults, never change a field's type or remove a field without a default.");
        }
        System.out.println("Avro schemas are backward compatible with " + versionDirectories(Path.of(args[1])));
    }
}
