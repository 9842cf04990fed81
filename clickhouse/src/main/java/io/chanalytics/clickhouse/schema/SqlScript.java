package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.engine.ChDbException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one numbered schema file: {@code ${VAR}} placeholders filled from a map, then split into
 * statements at semicolons outside quotes and comments (chDB runs one statement per call, unlike
 * {@code clickhouse-client --multiquery}).
 */
public record SqlScript(String name, String text) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * Replaces every {@code ${VAR}} with its value; quotes and backslashes are escaped so a value cannot leave
     * the string literal it usually sits in. An unknown variable is an error naming the file.
     */
    public SqlScript substitute(Map<String, String> variables) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String value = variables.get(matcher.group(1));
            if (value == null) {
                throw new ChDbException(
                        name + " uses ${" + matcher.group(1) + "}, which has no value; known: " + variables.keySet());
            }
            String escaped = value.replace("\\", "\\\\").replace("'", "\\'");
            matcher.appendReplacement(out, Matcher.quoteReplacement(escaped));
        }
        matcher.appendTail(out);
        return new SqlScript(name, out.toString());
    }

    /** The statements of the script, without the terminating semicolons; comment-only pieces are dropped. */
    public List<String> statements() {
        return split(true);
    }

    /** The statements with their comments removed too (the cluster mapping matches on the SQL alone). */
    public List<String> statementsWithoutComments() {
        return split(false);
    }

    private List<String> split(boolean keepComments) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean meaningful = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '-' && text.startsWith("--", i)) {
                int end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                if (keepComments) {
                    current.append(text, i, end);
                }
                i = end;
            } else if (c == '/' && text.startsWith("/*", i)) {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
                current.append(keepComments ? text.substring(i, end) : " ");
                i = end;
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = endOfQuoted(i, c);
                current.append(text, i, end);
                meaningful = true;
                i = end;
            } else if (c == ';') {
                if (meaningful) {
                    statements.add(current.toString().strip());
                }
                current.setLength(0);
                meaningful = false;
                i++;
            } else {
                current.append(c);
                meaningful |= !Character.isWhitespace(c);
                i++;
            }
        }
        if (meaningful) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private int endOfQuoted(int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new ChDbException(name + ": unterminated " + quote + " quote starting at offset " + start);
    }
}
