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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static final String LEDGER_DDL = "CREATE TABLE IF NOT EXISTS " + LEDGER
            + " (file String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)) ENGINE = MergeTree ORDER BY file";

    private static final Pattern FILE_NAME = Pattern.compile("\\d{3}_[a-z0-9_]+\\.sql");

    private final List<SqlScript> scripts;

    private SchemaMigrations(List<SqlScript> scripts) {
        this.scripts = List.copyOf(scripts);
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
            return new SchemaMigrations(scripts);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the schema files in " + directory, e);
        }
    }

    public List<SqlScript> scripts() {
        return scripts;
    }

    /**
     * Applies, in order and with the given {@code ${VAR}} values, every file the ledger does not hold, and records each
     * one; returns the number of statements run (0 when the database is up to date).
     */
    public int apply(SqlSession engine, Map<String, String> variables) {
        List<Plan> plans = new ArrayList<>();
        for (SqlScript script : scripts) {
            plans.add(new Plan(script, script.substitute(variables).statements()));
        }
        return apply(engine, plans, LEDGER_DDL);
    }

    /**
     * Applies the files to a cluster through one of its nodes: each statement mapped by {@link ClusterSchema} (run
     * {@code ON CLUSTER}, so on every node), the ledger replicated to every node.
     */
    public int applyOnCluster(SqlSession engine, Map<String, String> variables, String cluster) {
        ClusterSchema mapping = new ClusterSchema(cluster);
        List<Plan> plans = clusterPlans(variables, mapping);
        return apply(engine, plans, mapping.ledger(LEDGER_DDL));
    }

    /** Every file's statements as the cluster mode runs them, in order: what {@link #applyOnCluster} would apply. */
    public Map<String, List<String>> clusterStatements(Map<String, String> variables, String cluster) {
        Map<String, List<String>> statements = new LinkedHashMap<>();
        clusterPlans(variables, new ClusterSchema(cluster))
                .forEach(plan -> statements.put(plan.script().name(), plan.statements()));
        return statements;
    }

    private List<Plan> clusterPlans(Map<String, String> variables, ClusterSchema mapping) {
        // Every file is mapped, applied or not: the mapping learns from earlier files which tables are sharded.
        List<Plan> plans = new ArrayList<>();
        for (SqlScript script : scripts) {
            List<String> statements = new ArrayList<>();
            for (String statement : script.substitute(variables).statementsWithoutComments()) {
                statements.addAll(mapping.map(statement));
            }
            plans.add(new Plan(script, statements));
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
                if (!recorded.equals(checksum)) {
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
                    "INSERT INTO " + LEDGER + " (file, checksum) VALUES ('" + script.name() + "', '" + checksum + "')");
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
