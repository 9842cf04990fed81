package io.chanalytics.grafana;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Expands a panel's SQL the way Grafana and the ClickHouse datasource plugin ({@code grafana-clickhouse-datasource}
 * 4.20.0) do before the query reaches ClickHouse: {@code $__conditionalAll(condition, $var)} first (the plugin's
 * frontend), then template variables ({@code $var}, {@code ${var}}, {@code ${var:singlequote}}), then the plugin's
 * backend macros, innermost first, with SQL comments blanked as its macro processor does. Every expansion is checked
 * against the plugin's own, read from its source, in {@code grafana/plugin-4.20.0-expansions.tsv}
 * ({@code GrafanaMacrosTests}). Stricter than the plugin where that catches a broken dashboard earlier: an unknown
 * macro or variable, or a variable with "All" used outside {@code $__conditionalAll}, is an error here.
 *
 * @param from the start of the dashboard's time range
 * @param to the end of the dashboard's time range
 * @param interval the panel's interval ({@code $__interval_s}, {@code $__timeInterval})
 * @param variables selected values per variable; {@link #ALL} alone means "All"
 */
public record GrafanaMacros(Instant from, Instant to, Duration interval, Map<String, List<String>> variables) {

    /** The value Grafana stores when "All" is selected. */
    public static final String ALL = "$__all";

    private static final Pattern MACRO = Pattern.compile("\\$__([A-Za-z_]+)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::(\\w+))?}|\\$(\\w+)");

    /** Only what Grafana's frontend expands ({@code $__conditionalAll}, variables): the rest is the plugin's backend's. */
    public String frontend(String sql) {
        return interpolateVariables(expandConditionalAll(sql));
    }

    public String expand(String sql) {
        String expanded = expandConditionalAll(sql);
        expanded = interpolateVariables(expanded);
        if (expanded.contains("$__")) {
            expanded = blankComments(expanded);
        }
        expanded = expandMacros(expanded);
        if (expanded.contains("$")) {
            throw new IllegalArgumentException("Unexpanded macro or variable left in: " + expanded);
        }
        return expanded;
    }

    private String expandConditionalAll(String sql) {
        StringBuilder out = new StringBuilder();
        int position = 0;
        String marker = "$__conditionalAll(";
        int start;
        while ((start = sql.indexOf(marker, position)) >= 0) {
            out.append(sql, position, start);
            int open = start + marker.length() - 1;
            int close = matchingParenthesis(sql, open);
            List<String> arguments = splitArguments(sql.substring(open + 1, close));
            if (arguments.size() != 2) {
                throw new IllegalArgumentException("$__conditionalAll takes (condition, $variable): " + sql);
            }
            String variable = arguments.get(1).strip().replaceFirst("^\\$\\{?(\\w+)}?$", "$1");
            // The plugin keeps the condition as written (untrimmed); "All" or nothing selected drops it.
            out.append(isAllOrNothing(variable) ? "1=1" : arguments.get(0));
            position = close + 1;
        }
        return out.append(sql.substring(position)).toString();
    }

    private String interpolateVariables(String sql) {
        Matcher matcher = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
            if (name.startsWith("__")) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
                continue;
            }
            if (!variables.containsKey(name)) {
                throw new IllegalArgumentException("Unknown template variable $" + name + " in: " + sql);
            }
            if (isAll(name)) {
                throw new IllegalArgumentException(
                        "$" + name + " is used outside $__conditionalAll, so 'All' would break: " + sql);
            }
            List<String> values = variables.get(name);
            String format = matcher.group(2);
            // :singlequote escapes quotes with a backslash; a plain multi-value $var is quoted by the plugin as is.
            String replacement = "singlequote".equals(format)
                    ? values.stream()
                            .map(v -> "'" + v.replace("'", "\\'") + "'")
                            .collect(Collectors.joining(","))
                    : "'" + String.join("','", values) + "'";
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String expandMacros(String sql) {
        StringBuilder out = new StringBuilder();
        int position = 0;
        Matcher matcher = MACRO.matcher(sql);
        while (matcher.find(position)) {
            out.append(sql, position, matcher.start());
            String name = matcher.group(1);
            int end = matcher.end();
            List<String> arguments = List.of();
            if (end < sql.length() && sql.charAt(end) == '(') {
                int close = matchingParenthesis(sql, end);
                arguments = splitArguments(sql.substring(end + 1, close)).stream()
                        .map(this::expandMacros)
                        .toList();
                end = close + 1;
            }
            out.append(macro(name, arguments));
            position = end;
        }
        return out.append(sql.substring(position)).toString();
    }

    private String macro(String name, List<String> arguments) {
        long fromSeconds = from.getEpochSecond();
        long toSeconds = to.getEpochSecond();
        long intervalSeconds = Math.max(interval.toSeconds(), 1);
        return switch (name) {
            case "fromTime" -> "toDateTime(" + fromSeconds + ")";
            case "toTime" -> "toDateTime(" + toSeconds + ")";
            case "fromTime_ms" -> "fromUnixTimestamp64Milli(" + from.toEpochMilli() + ")";
            case "toTime_ms" -> "fromUnixTimestamp64Milli(" + to.toEpochMilli() + ")";
            case "interval_s" -> Long.toString(intervalSeconds);
            case "timeFilter" ->
                between(single(name, arguments), "toDateTime(" + fromSeconds + ")", "toDateTime(" + toSeconds + ")");
            case "timeFilter_ms" ->
                between(
                        single(name, arguments),
                        "fromUnixTimestamp64Milli(" + from.toEpochMilli() + ")",
                        "fromUnixTimestamp64Milli(" + to.toEpochMilli() + ")");
            case "dateFilter" -> between(single(name, arguments), date(from), date(to));
            case "timeInterval" ->
                "toStartOfInterval(toDateTime(" + single(name, arguments) + "), INTERVAL " + intervalSeconds
                        + " second)";
            case "timeInterval_ms" ->
                "toStartOfInterval(toDateTime64(" + single(name, arguments) + ", 3), INTERVAL "
                        + Math.max(interval.toMillis(), 1) + " millisecond)";
            default -> throw new IllegalArgumentException("Macro $__" + name + " is not one the plugin knows");
        };
    }

    private boolean isAll(String variable) {
        return values(variable).equals(List.of(ALL));
    }

    private boolean isAllOrNothing(String variable) {
        return isAll(variable) || values(variable).isEmpty();
    }

    private List<String> values(String variable) {
        List<String> values = variables.get(variable);
        if (values == null) {
            throw new IllegalArgumentException("Unknown template variable $" + variable);
        }
        return values;
    }

    /** {@code -- ...} and {@code /* ... *}{@code /} outside string literals become as many spaces. */
    static String blankComments(String sql) {
        StringBuilder out = new StringBuilder(sql);
        boolean inString = false;
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    inString = false;
                }
            } else if (c == '\'') {
                inString = true;
            } else if (c == '-' && i + 1 < out.length() && out.charAt(i + 1) == '-') {
                while (i < out.length() && out.charAt(i) != '\n') {
                    out.setCharAt(i++, ' ');
                }
            } else if (c == '/' && i + 1 < out.length() && out.charAt(i + 1) == '*') {
                int end = out.indexOf("*/", i + 2);
                int stop = end < 0 ? out.length() : end + 2;
                while (i < stop) {
                    out.setCharAt(i++, ' ');
                }
                i--;
            }
        }
        return out.toString();
    }

    private static String between(String column, String lower, String upper) {
        return column + " >= " + lower + " AND " + column + " <= " + upper;
    }

    private static String date(Instant instant) {
        return "toDate('" + DateTimeFormatter.ISO_LOCAL_DATE.format(instant.atZone(ZoneOffset.UTC)) + "')";
    }

    private static String single(String name, List<String> arguments) {
        if (arguments.size() != 1) {
            throw new IllegalArgumentException("$__" + name + " takes one argument, got " + arguments);
        }
        return arguments.getFirst().strip();
    }

    private static int matchingParenthesis(String text, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' && (i == 0 || text.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && c == '(') {
                depth++;
            } else if (!inString && c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unbalanced parentheses after position " + open + " in: " + text);
    }

    private static List<String> splitArguments(String text) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        boolean inString = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                inString = !inString;
            } else if (!inString && c == '(') {
                depth++;
            } else if (!inString && c == ')') {
                depth--;
            } else if (!inString && depth == 0 && c == ',') {
                arguments.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (!text.isBlank()) {
            arguments.add(text.substring(start));
        }
        return arguments;
    }
}
