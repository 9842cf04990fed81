package io.chanalytics.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Subjects, versions and global ids with the Confluent semantics: one id per distinct schema across all subjects,
 * re-registering an existing schema returns its id, and a new version must be BACKWARD compatible with the latest (new
 * readers can read old data). Optionally journalled to a directory so ids survive restarts; ClickHouse caches ids, so
 * they must never change meaning.
 */
final class SchemaStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOURNAL = "schemas.jsonl";

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
    private final Path journal;

    SchemaStore(Path directory) {
        this.journal = directory == null ? null : directory.resolve(JOURNAL);
        if (journal != null) {
            replay();
        }
    }

    synchronized Registration register(String subject, Schema schema) {
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existingId = idsBySchema.get(schema);
        if (existingId != null && versions.contains(existingId)) {
            return new Registration(existingId, versions.indexOf(existingId) + 1);
        }
        if (!versions.isEmpty()) {
            Schema latest = schemasById.get(versions.getLast());
            var result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new IncompatibleSchemaException(
                        "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                                + "\": " + result.getResult().getIncompatibilities());
            }
        }
        int id = existingId != null ? existingId : schemasById.size() + 1;
        schemasById.put(id, schema);
        idsBySchema.put(schema, id);
        versions.add(id);
        append(subject, versions.size(), id, schema);
        return new Registration(id, versions.size());
    }

    synchronized Optional<Schema> byId(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    synchronized Optional<List<Integer>> versions(String subject) {
        List<Integer> ids = versionsBySubject.get(subject);
        if (ids == null) {
            return Optional.empty();
        }
        List<Integer> numbers = new ArrayList<>();
        for (int v = 1; v <= ids.size(); v++) {
            numbers.add(v);
        }
        return Optional.of(numbers);
    }

    synchronized Optional<Version> version(String subject, int version) {
        List<Integer> ids = versionsBySubject.get(subject);
        if (ids == null || ids.isEmpty()) {
            return Optional.empty();
        }
        int number = version < 0 ? ids.size() : version;
        if (number < 1 || number > ids.size()) {
            return Optional.empty();
        }
        int id = ids.get(number - 1);
        return Optional.of(new Version(subject, number, id, schemasById.get(id)));
    }

    private void append(String subject, int version, int id, Schema schema) {
        if (journal == null) {
            return;
        }
        String line = JSON.createObjectNode()
                        .put("subject", subject)
                        .put("version", version)
                        .put("id", id)
                        .put("schema", schema.toString())
                        .toString()
                + "\n";
        try {
            Files.createDirectories(journal.getParent());
            Files.writeString(journal, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot persist schema to " + journal, e);
        }
    }

    private void replay() {
        if (!Files.exists(journal)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(journal)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = JSON.readTree(line);
                Schema schema = new Schema.Parser().parse(entry.get("schema").asText());
                int id = entry.get("id").asInt();
                schemasById.put(id, schema);
                idsBySchema.put(schema, id);
                versionsBySubject
                        .computeIfAbsent(entry.get("subject").asText(), s -> new ArrayList<>())
                        .add(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema journal " + journal, e);
        }
    }

    record Registration(int id, int version) {}

    record Version(String subject, int version, int id, Schema schema) {}

    static final class IncompatibleSchemaException extends RuntimeException {
        IncompatibleSchemaException(String message) {
            super(message);
        }
    }
}
