package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.engine.ChDbException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SQL written once and used by several schema files: the {@code _<name>.sql} files beside the numbered ones (never
 * applied on their own). A numbered file includes one with {@code ${INCLUDE <name> KEY=value ...}}; the fragment's
 * {@code ${KEY}} placeholders take the given values, its other placeholders are filled as the including file's are.
 * The ledger's checksum covers the including file's own text: a change to a fragment reaches applied objects through
 * a new numbered file, as any schema change does.
 */
record SchemaFragments(Map<String, String> fragments) {

    private static final Pattern INCLUDE = Pattern.compile("\\$\\{INCLUDE (\\w+)((?: \\w+=\\w+)*)}");
    private static final Pattern FRAGMENT_FILE = Pattern.compile("_(\\w+)\\.sql");

    static SchemaFragments in(Path directory) throws IOException {
        Map<String, String> fragments = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Matcher name = FRAGMENT_FILE.matcher(file.getFileName().toString());
                if (name.matches()) {
                    fragments.put(name.group(1), withoutComments(Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        return new SchemaFragments(Map.copyOf(fragments));
    }

    /** {@code script} with every include replaced by its fragment. */
    SqlScript expand(SqlScript script) {
        Matcher include = INCLUDE.matcher(script.text());
        StringBuilder out = new StringBuilder();
        while (include.find()) {
            String fragment = fragments.get(include.group(1));
            if (fragment == null) {
                throw new ChDbException(script.name() + " includes " + include.group(1) + ", but there is no _"
                        + include.group(1) + ".sql; fragments: " + fragments.keySet());
            }
            for (String argument : include.group(2).strip().split(" ")) {
                if (!argument.isEmpty()) {
                    String[] pair = argument.split("=", 2);
                    fragment = fragment.replace("${" + pair[0] + "}", pair[1]);
                }
            }
            include.appendReplacement(out, Matcher.quoteReplacement(fragment.strip()));
        }
        include.appendTail(out);
        return new SqlScript(script.name(), out.toString());
    }

    /** The fragment's SQL: its header comments say what it is, not part of what it stands for. */
    private static String withoutComments(String text) {
        return text.lines().filter(line -> !line.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n");
    }
}
