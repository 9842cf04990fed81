package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the numbered schema files ({@code NNN_name.sql}) in order, each once: a file that ran is recorded with the
 * SHA-256 of its text in {@value #LEDGER}, and later starts skip it, so a file may change what an earlier one made
 * (drop and recreate a Kafka table whose settings ClickHouse cannot alter) without that happening again at every
 * start. An applied file that was edited stops the start with an error: a change to the schema is a new file.
 *
 * <p>Databases from before the ledger (and any file's first run) get every unrecorded file: the statements up to the
 * ledger's introduction are {@code IF NOT EXISTS} or no-ops when already applied, so running them once more is safe.
 */
public final class SchemaMigrations {

    /** Where the files sit on the classpath (and under {@code src/main/resources} in this module). */
    public static final String CLASSPATH_LOCATION = "clickhouse/schema";

    /** Which files ran, and the SHA-256 of each one's text (before its variables are filled in). */
    public static final String LEDGER = "analytics.schema_migrations";

    /**
     * The checksums files had before they were re-baselined ({@code <sha256>  <file>} lines): recorded in a ledger,
     * they mean the file is applied, as the new text would create the same objects.
     */
    public static final String REBASELINED = "rebaselined.sha256";

    private static final Pattern FILE_NAME = Pattern.compile("\\d{3}_[a-z0-9_]+\\.sql");

    private final List<SqlScript> scripts;
    private final SchemaFragments fragments;
    private final Set<String> rebaselined;

    private SchemaMigrations(List<SqlScript> scripts, SchemaFragments fragments, Set<String> rebaselined) {
        this.scripts = List.copyOf(scripts);
        this.fragments = fragments;
        this.rebaselined = Set.copyOf(rebaselined);
    }

    /** The files packaged with this module (a directory in the IDE and in tests, a jar otherwise). */
    public static SchemaMigrations fromClasspath() {
        URL url = SchemaMigrations.class.getClassLoader().getResource(CLASSPATH_LOCATION);
        if (url == null) {
            throw new ChDbException(CLASSPATH_LOCATION + " is not on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return fromDirectory(jar.getPath(CLASSPATH_LOCATION));
                }
            }
            return fromDirectory(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new ChDbException("Cannot read the schema files at " + url, e);
        }
    }

    /** The {@code NNN_name.sql} files of a directory, in file-name order. */
    public static SchemaMigrations fromDirectory(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> sorted = files.filter(file ->
                            FILE_NAME.matcher(file.getFileName().toString()).matches())
                    .sorted(Comparator.comparing(file -> file.getFileName().toString()))
                    .toList();
            List<SqlScript> scripts = new ArrayList<>();
            for (Path file : sorted) {
                scripts.add(
                        new SqlScript(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
            if (scripts.isEmpty()) {
                throw new ChDbException("No NNN_name.sql files in " + directory);
            }
            return new SchemaMigrations(
                    scripts, SchemaFragments.in(directory), rebaselined(directory.resolve(REBASELINED)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the schema files in " + directory, e);
        }
    }

    public List<SqlScript> scripts() {
        return scripts;
    }

    /** {@code file + " " + checksum} for every line of the re-baseline list, none when there is no list. */
    private static Set<String> rebaselined(Path list) throws IOException {
        if (!Files.isRegularFile(list)) {
            return Set.of();
        }
        Set<String> entries = new HashSet<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String[] cells = line.strip().split("\\s+");
            if (cells.length == 2 && !line.startsWith("#")) {
                entries.add(cells[1] + " " + cells[0]);
            }
        }
        return entries;
    }

    /**
     * Applies, in order and with the given {@code ${VAR}} values, every file the ledger does not hold, and records each
     * one; returns the number of statements run (0 when the database is up to date).
     */
    public int apply(SqlSession engine, Map<String, String> variables) {
        return apply(engine, variables, SchemaMode.SINGLE_NODE);
    }

    /**
     * Applies the files to a cluster through one of its nodes: every statement {@code ON CLUSTER}, sharded tables as
     * replicated local tables under Distributed ones ({@link SchemaMode}), the ledger replicated to every node.
     */
    public int applyOnCluster(SqlSession engine, Map<String, String> variables, String cluster) {
        return apply(engine, variables, SchemaMode.onCluster(cluster));
    }

    public int apply(SqlSession engine, Map<String, String> variables, SchemaMode mode) {
        return apply(engine, plans(variables, mode), mode.ledgerDdl(LEDGER));
    }

    /** Every file's statements as {@code mode} runs them, by file in order: what applying would run on an empty one. */
    public Map<String, List<String>> statements(Map<String, String> variables, SchemaMode mode) {
        Map<String, List<String>> statements = new LinkedHashMap<>();
        plans(variables, mode).forEach(plan -> statements.put(plan.script().name(), plan.statements()));
        return statements;
    }

    private List<Plan> plans(Map<String, String> variables, SchemaMode mode) {
        List<Plan> plans = new ArrayList<>();
        for (SqlScript script : scripts) {
            plans.add(new Plan(script, mode.statements(fragments.expand(script), variables)));
        }
        return plans;
    }

    private int apply(SqlSession engine, List<Plan> plans, String ledgerDdl) {
        boolean ledgerExists = engine.queryLong("EXISTS TABLE " + LEDGER) == 1;
        Map<String, String> applied = ledgerExists ? appliedFiles(engine) : Map.of();
        int executed = 0;
        for (Plan plan : plans) {
            SqlScript script = plan.script();
            String checksum = checksum(script);
            String recorded = applied.get(script.name());
            if (recorded != null) {
                if (!recorded.equals(checksum) && !rebaselined.contains(script.name() + " " + recorded)) {
                    throw new ChDbException("Schema file " + script.name() + " was edited after it was applied"
                            + " (recorded SHA-256 " + recorded + ", now " + checksum + "): an applied file never runs"
                            + " again, so its change would be lost; restore it and put the change in a new numbered"
                            + " file");
                }
                continue;
            }
            for (String statement : plan.statements()) {
                try {
                    engine.execute(statement);
                } catch (ChDbException e) {
                    throw new ChDbException("Schema file " + script.name() + " failed: " + e.getMessage(), e);
                }
                executed++;
            }
            if (!ledgerExists) {
                // Created after the first file ran: 001 creates the database it lives in.
                engine.execute(ledgerDdl);
                ledgerExists = true;
            }
            engine.execute(
                    "INSERT INTO " + LEDGER + " (file, checksum) SELECT {file:String}, {checksum:String}",
                    Map.of("file", script.name(), "checksum", checksum));
        }
        return executed;
    }

    /** A file and the statements it runs as. */
    private record Plan(SqlScript script, List<String> statements) {}

    private static Map<String, String> appliedFiles(SqlSession engine) {
        Map<String, String> applied = new LinkedHashMap<>();
        engine.query("SELECT file, checksum FROM " + LEDGER + " ORDER BY file")
                .lines()
                .map(line -> line.split("\t", 2))
                .forEach(cells -> applied.put(cells[0], cells[1]));
        return applied;
    }

    /** What the ledger records for a file: the SHA-256 of its text, before its variables are filled in. */
    static String checksum(SqlScript script) {
        return sha256(script.text());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
