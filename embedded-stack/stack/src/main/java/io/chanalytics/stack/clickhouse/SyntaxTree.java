package io.chanalytics.stack.clickhouse;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement as the engine's own parser sees it: the lines of {@code EXPLAIN AST}, one node per line, indented by
 * depth. Read-only sessions need it for one gap in the engine: its analyzer applies a subquery's {@code SETTINGS}
 * without the read-only check the top level gets, so {@code SELECT * FROM (SELECT * FROM file(...) SETTINGS
 * readonly = 0)} would run. A {@code Set} node is a {@code SETTINGS} clause wherever it stands; aliases, identifiers
 * and literals print with their kind first ({@code Identifier Set}, {@code Literal 'Set'}), so they cannot pass for
 * one.
 */
record SyntaxTree(List<String> lines) {

    private static final Pattern NODE = Pattern.compile("^( *)([A-Z][A-Za-z0-9]*)(?: .*)?$");

    static SyntaxTree of(String explainOutput) {
        return new SyntaxTree(explainOutput.lines().toList());
    }

    /**
     * Whether the text is a tree of nodes as {@code EXPLAIN AST} prints it in TabSeparated: a root, then children
     * at most one level deeper than the line before. A {@code FORMAT} clause the caller did not take off would
     * print it in another form (JSON, Vertical, nothing at all for Null), and then nothing could be read from it.
     */
    boolean isWellFormed() {
        int previousDepth = -1;
        for (int i = 0; i < lines.size(); i++) {
            Matcher node = NODE.matcher(lines.get(i));
            if (!node.matches()) {
                return false;
            }
            int depth = node.group(1).length();
            if ((i == 0) != (depth == 0) || depth > previousDepth + 1) {
                return false;
            }
            previousDepth = depth;
        }
        return !lines.isEmpty();
    }

    /** Whether any {@code SETTINGS} clause appears, at any depth. */
    boolean setsSettings() {
        return lines.stream().anyMatch(line -> line.strip().equals("Set"));
    }

    /**
     * Whether the statement describes a table function ({@code DESCRIBE url(...)}): read-only mode lets the engine
     * infer that schema, and inferring it reads the source, so a reader could make the engine fetch any URL.
     */
    boolean describesTableFunction() {
        return !lines.isEmpty()
                && lines.getFirst().startsWith("DescribeQuery")
                && lines.stream().anyMatch(line -> line.startsWith("  Function "));
    }
}
