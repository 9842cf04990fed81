package io.chanalytics.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Subjects, versions, global ids and compatibility levels with Confluent's semantics: one id per distinct schema
 * across all subjects; re-registering a live schema returns its id and version; a new version must pass the subject's
 * compatibility level (else the global one, BACKWARD by default) against the live versions; deletes are soft first
 * (the version stays, hidden, and its number is never given again) and permanent only after that. Optionally
 * journalled to a directory so that ids, versions, deletes and levels survive restarts: ClickHouse caches ids, so
 * they must never change meaning.
 */
final class SchemaStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOURNAL = "schemas.jsonl";

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    /** Subjects in name order (Confluent lists them sorted), each its versions by number. */
    private final Map<String, TreeMap<Integer, Version>> subjects = new TreeMap<>();

    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;
    private final Path journal;

    SchemaStore(Path directory) {
        this.journal = directory == null ? null : directory.resolve(JOURNAL);
        if (journal != null) {
            replay();
        }
    }

    /** A version of a subject; {@code deleted} once soft-deleted. */
    record Version(String subject, int version, int id, Schema schema, boolean deleted) {

        Version asDeleted() {
            return new Version(subject, version, id, schema, true);
        }
    }

    // ---- registering and checking

    synchronized Version register(String subject, Schema schema) {
        Optional<Version> existing = live(subject).stream()
                .filter(version -> version.schema().equals(schema))
                .findFirst();
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems = level(subject).problems(schema, newestFirst(live(subject)));
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible("Schema being registered is incompatible with an earlier schema for"
                    + " subject \"" + subject + "\", details: " + problems);
        }
        TreeMap<Integer, Version> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        // After soft deletes the numbers go on from the highest ever given, as Confluent's do.
        int number = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        Integer known = idsBySchema.get(schema);
        int id = known != null ? known : schemasById.size() + 1;
        Version version = new Version(subject, number, id, schema, false);
        apply(version);
        append(JSON.createObjectNode()
                .put("subject", subject)
                .put("version", number)
                .put("id", id)
                .put("schema", schema.toString()));
        return version;
    }

    /**
     * What keeps {@code schema} from being registered under {@code subject}: against every version the subject's level
     * looks at ({@code version} null), or against the one named (the transitive levels then act as the plain ones).
     */
    synchronized List<String> compatibilityProblems(String subject, Schema schema, VersionId version) {
        CompatibilityLevel level = level(subject);
        if (version == null) {
            return level.problems(schema, newestFirst(live(subject)));
        }
        if (version.latest() && live(subject).isEmpty()) {
            return List.of(); // nothing to be compatible with, as Confluent answers
        }
        Version against = version.latest()
                ? live(subject).getLast()
                : live(subject).stream()
                        .filter(v -> v.version() == version.number())
                        .findFirst()
                        .orElseThrow(() -> RegistryException.versionNotFound(version.number()));
        return level.problems(schema, newestFirst(List.of(against)));
    }

    /** The version of {@code subject} whose schema is {@code schema}; Confluent's lookup. */
    synchronized Version lookUp(String subject, Schema schema) {
        if (live(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return live(subject).stream()
                .filter(version -> version.schema().equals(schema))
                .findFirst()
                .orElseThrow(() -> RegistryException.schemaNotFound("Schema not found"));
    }

    // ---- reading

    synchronized Optional<Schema> byId(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    /** The subject-versions that use schema {@code id}. */
    synchronized List<Version> usesOf(int id, boolean includeDeleted) {
        if (!schemasById.containsKey(id)) {
            throw RegistryException.schemaNotFound("Schema not found");
        }
        return subjects.values().stream()
                .flatMap(versions -> versions.values().stream())
                .filter(version -> version.id() == id && (includeDeleted || !version.deleted()))
                .toList();
    }

    /** Subjects with a live version, or with any version when {@code includeDeleted}. */
    synchronized List<String> subjects(boolean includeDeleted) {
        return subjects.entrySet().stream()
                .filter(entry ->
                        includeDeleted || entry.getValue().values().stream().anyMatch(v -> !v.deleted()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** A subject's versions, oldest first; 40401 when it has none (none live, unless {@code includeDeleted}). */
    synchronized List<Version> versions(String subject, boolean includeDeleted) {
        List<Version> versions = includeDeleted ? all(subject) : live(subject);
        if (versions.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return versions;
    }

    /** One version ({@code latest}: the newest live one); soft-deleted ones only when {@code includeDeleted}. */
    synchronized Version version(String subject, VersionId id, boolean includeDeleted) {
        List<Version> versions = versions(subject, includeDeleted);
        if (id.latest()) {
            return versions.getLast();
        }
        return versions.stream()
                .filter(version -> version.version() == id.number())
                .findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(id.number()));
    }

    // ---- deleting

    /** Soft: hides every live version and returns their numbers. Permanent: forgets a soft-deleted subject entirely. */
    synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Version> all = all(subject);
        if (all.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        List<Version> live = live(subject);
        if (permanent && !live.isEmpty()) {
            throw RegistryException.subjectNotSoftDeleted(subject);
        }
        if (!permanent && live.isEmpty()) {
            throw RegistryException.subjectSoftDeleted(subject);
        }
        List<Version> deleted = permanent ? all : live;
        for (Version version : deleted) {
            delete(version, permanent);
        }
        return deleted.stream().map(Version::version).toList();
    }

    /** Soft-deletes a live version ({@code latest}: the newest live one), or forgets a soft-deleted one. */
    synchronized int deleteVersion(String subject, VersionId id, boolean permanent) {
        if (all(subject).isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        Version version;
        if (id.latest()) {
            List<Version> live = live(subject);
            if (live.isEmpty()) {
                throw RegistryException.versionNotFound(-1);
            }
            version = live.getLast();
        } else {
            version = Optional.ofNullable(subjects.get(subject).get(id.number()))
                    .orElseThrow(() -> RegistryException.versionNotFound(id.number()));
        }
        if (permanent && !version.deleted()) {
            throw RegistryException.versionNotSoftDeleted(subject, version.version());
        }
        if (!permanent && version.deleted()) {
            throw RegistryException.versionSoftDeleted(subject, version.version());
        }
        delete(version, permanent);
        return version.version();
    }

    private void delete(Version version, boolean permanent) {
        applyDelete(version.subject(), version.version(), permanent);
        append(JSON.createObjectNode()
                .put("op", "delete")
                .put("subject", version.subject())
                .put("version", version.version())
                .put("permanent", permanent));
    }

    // ---- compatibility levels

    /** The level a subject's registrations are checked with: its own, else the global one. */
    synchronized CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel());
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel == null ? CompatibilityLevel.DEFAULT : globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** Sets the global level ({@code subject} null) or a subject's; null resets it. Returns the level before. */
    synchronized Optional<CompatibilityLevel> setLevel(String subject, CompatibilityLevel level) {
        Optional<CompatibilityLevel> before =
                subject == null ? Optional.ofNullable(globalLevel) : subjectLevel(subject);
        applyLevel(subject, level);
        ObjectNode entry = JSON.createObjectNode().put("op", "config");
        entry.put("subject", subject);
        entry.put("level", level == null ? null : level.name());
        append(entry);
        return before;
    }

    // ---- state changes, shared by the requests and the journal's replay

    private void apply(Version version) {
        schemasById.put(version.id(), version.schema());
        idsBySchema.putIfAbsent(version.schema(), version.id());
        subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
    }

    private void applyDelete(String subject, int number, boolean permanent) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null || !versions.containsKey(number)) {
            return;
        }
        if (permanent) {
            versions.remove(number);
            if (versions.isEmpty()) {
                // Confluent forgets a subject's settings with its last version; the schemas keep their ids.
                subjects.remove(subject);
                subjectLevels.remove(subject);
            }
        } else {
            versions.put(number, versions.get(number).asDeleted());
        }
    }

    private void applyLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private List<Version> all(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    private List<Version> live(String subject) {
        return all(subject).stream().filter(version -> !version.deleted()).toList();
    }

    private static List<CompatibilityLevel.Version> newestFirst(List<Version> versions) {
        List<CompatibilityLevel.Version> newestFirst = new ArrayList<>();
        for (Version version : versions.reversed()) {
            newestFirst.add(new CompatibilityLevel.Version(version.version(), version.schema()));
        }
        return newestFirst;
    }

    // ---- the journal: one JSON object per change; a line without "op" registers a version (the first format)

    private void append(ObjectNode entry) {
        if (journal == null) {
            return;
        }
        try {
            Files.createDirectories(journal.getParent());
            Files.writeString(journal, entry + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot persist the registry's change to " + journal, e);
        }
    }

    private void replay() {
        if (!Files.exists(journal)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(journal)) {
                if (!line.isBlank()) {
                    replay(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the registry's journal " + journal, e);
        }
    }

    private void replay(JsonNode entry) {
        String subject =
                entry.path("subject").isNull() ? null : entry.path("subject").asText();
        switch (entry.path("op").asText("register")) {
            case "register" ->
                apply(new Version(
                        subject,
                        entry.get("version").asInt(),
                        entry.get("id").asInt(),
                        new Schema.Parser().parse(entry.get("schema").asText()),
                        false));
            case "delete" ->
                applyDelete(
                        subject,
                        entry.get("version").asInt(),
                        entry.get("permanent").asBoolean());
            case "config" ->
                applyLevel(
                        subject,
                        entry.path("level").isNull()
                                ? null
                                : CompatibilityLevel.named(entry.get("level").asText()));
            default -> throw new IllegalStateException("Unknown change in " + journal + ": " + entry);
        }
    }
}
