package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The stack's variables, each from the process environment when it is set there, else from the repository's
 * {@code .env}: the one defaults file, the one compose reads by itself. Everything the embedded stack, the stack
 * verifier and the tests know of ports, credentials and images comes through here, so no default is written twice.
 */
public final class StackEnvironment {

    /** The defaults file at the repository root. */
    public static final String FILE = ".env";

    private final UnaryOperator<String> environment;
    private final Map<String, String> defaults;

    private StackEnvironment(UnaryOperator<String> environment, Map<String, String> defaults) {
        this.environment = environment;
        this.defaults = defaults;
    }

    /** {@code environment} over the {@code .env} of {@code repositoryRoot}. */
    public static StackEnvironment of(UnaryOperator<String> environment, Path repositoryRoot) {
        return new StackEnvironment(environment, read(repositoryRoot.resolve(FILE)));
    }

    /** The defaults alone, as a stack started with no variable set sees them. */
    public static StackEnvironment defaults(Path repositoryRoot) {
        return of(name -> null, repositoryRoot);
    }

    /**
     * Reads a file in the format compose reads {@code .env} in: {@code NAME=value} lines, {@code #} comments and blank
     * lines, a value in matching single or double quotes taken without them.
     */
    public static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                int equals = text.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException(file + ": not NAME=value: " + line);
                }
                values.put(
                        text.substring(0, equals).strip(),
                        unquoted(text.substring(equals + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the stack's defaults " + file, e);
        }
        return values;
    }

    private static String unquoted(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }

    /** Every variable {@code .env} sets, with its value here (the environment's where it is set). */
    public Map<String, String> all() {
        Map<String, String> values = new LinkedHashMap<>();
        defaults.keySet().forEach(name -> values.put(name, text(name)));
        return values;
    }

    /** A variable {@code .env} sets: the environment's non-blank value, else the file's. */
    public String text(String name) {
        String value = environment.apply(name);
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        if (!defaults.containsKey(name)) {
            throw new IllegalArgumentException(name + " is set neither in the environment nor in " + FILE);
        }
        return defaults.get(name);
    }

    /** A variable outside {@code .env} (a path, a switch): the environment's non-blank value, else {@code fallback}. */
    public String text(String name, String fallback) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    /** Like {@link #text(String)}, but a variable set empty in the environment stays empty (a blank password). */
    public String raw(String name) {
        String value = environment.apply(name);
        return value != null ? value : text(name);
    }

    public int number(String name) {
        return toInt(name, text(name));
    }

    public int number(String name, int fallback) {
        return toInt(name, text(name, Integer.toString(fallback)));
    }

    public long longNumber(String name, long fallback) {
        return toLong(name, text(name, Long.toString(fallback)));
    }

    private static int toInt(String name, String value) {
        long number = toLong(name, value);
        if (number != (int) number) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
        return (int) number;
    }

    private static long toLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'", e);
        }
    }
}
