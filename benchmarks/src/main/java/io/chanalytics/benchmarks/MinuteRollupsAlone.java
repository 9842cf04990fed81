package io.chanalytics.benchmarks;

import java.util.regex.Pattern;

/**
 * A long-range panel's SQL as it was before the hourly rollups (schema 017): the branch reading the hourly rollup
 * removed, and the minute branch's exclusion of the whole hours with it, so the minute rollup answers the whole range.
 * The dashboards benchmark runs both forms side by side, which is how "the last hour unchanged" is measured in one run
 * rather than against a figure taken on another day.
 */
final class MinuteRollupsAlone {

    /** The hourly branch: from its SELECT (no other SELECT in between) through the UNION ALL after it. */
    private static final Pattern HOURLY_BRANCH =
            Pattern.compile("(?s)SELECT(?:(?!SELECT).)*?FROM analytics\\.\\w+_1h\\b.*?UNION ALL\\s*");

    private static final String EXCLUSION = "AND NOT (";

    private MinuteRollupsAlone() {}

    /** Whether {@code sql} reads an hourly rollup (017) next to a minute rollup. */
    static boolean applies(String sql) {
        return HOURLY_BRANCH.matcher(sql).find();
    }

    /** {@code sql} (a panel's, macros not yet expanded) reading the minute rollup alone. */
    static String of(String sql) {
        var branch = HOURLY_BRANCH.matcher(sql);
        if (!branch.find()) {
            throw new IllegalArgumentException("No hourly branch in: " + sql);
        }
        String minutes = branch.replaceFirst("");
        int exclusion = minutes.indexOf(EXCLUSION);
        if (exclusion < 0) {
            throw new IllegalArgumentException("No exclusion of the whole hours in: " + sql);
        }
        int end = closingParenthesis(minutes, exclusion + EXCLUSION.length() - 1);
        return minutes.substring(0, exclusion) + minutes.substring(end + 1);
    }

    private static int closingParenthesis(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unbalanced parentheses from " + open + " in: " + sql);
    }
}
