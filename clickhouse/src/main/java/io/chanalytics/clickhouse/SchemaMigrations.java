package io.chanalytics.clickhouse;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Applies the numbered schema files ({@code NNN_name.sql}) in order. Every statement is idempotent
 * ({@code IF NOT EXISTS}), so applying all files again on every start is safe and brings an older database up to
 * date; a change to the schema is a new file, never an edit of an applied one.
 */
public final class SchemaMigrations {

    /** Where the files sit on the classpath (and under {@code src/main/resources} in this module). */
    public static final String CLASSPATH_LOCATION = "clickhouse/schema";

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

    /** Applies every file in order with the given {@code ${VAR}} values; returns the number of statements run. */
    public int apply(ChDb engine, Map<String, String> variables) {
        int executed = 0;
        for (SqlScript script : scripts) {
            for (String statement : script.substitute(variables).statements()) {
                try {
                    engine.execute(statement);
                } catch (ChDbException e) {
                    throw new ChDbException("Schema file " + script.name() + " failed: " + e.getMessage(), e);
                }
                executed++;
            }
        }
        return executed;
    }
}
