package io.chanalytics.stack;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement the HTTP query endpoint accepts: one read-only statement ({@code SELECT}, {@code WITH},
 * {@code SHOW}, {@code DESCRIBE}, {@code EXISTS}, {@code EXPLAIN}), without {@code INTO OUTFILE}. chDB runs every
 * query with full rights, so the endpoint decides before the engine sees anything.
 *
 * @param sql the statement without a trailing semicolon
 * @param explicitFormat the format named by a trailing {@code FORMAT} clause, if any
 */
public record ReadOnlyQuery(String sql, Optional<String> explicitFormat) {

    private static final Set<String> READ_ONLY_KEYWORDS =
            Set.of("SELECT", "WITH", "SHOW", "DESCRIBE", "DESC", "EXISTS", "EXPLAIN");
    private static final Pattern LEADING_KEYWORD = Pattern.compile("^[\\s(]*([A-Za-z]+)");
    private static final Pattern TRAILING_FORMAT = Pattern.compile("(?is)\\bFORMAT\\s+([A-Za-z0-9_]+)\\s*$");
    private static final Pattern INTO_OUTFILE = Pattern.compile("(?is)\\bINTO\\s+OUTFILE\\b");

    /** Parses {@code text}, throwing {@link IllegalArgumentException} with the reason when it is not accepted. */
    public static ReadOnlyQuery parse(String text) {
        String sql = text == null ? "" : text.strip();
        while (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        // Checked on the text as it will run, so neither a comment nor a string literal can hide a second statement.
        if (sql.contains(";")) {
            throw new IllegalArgumentException("Only one statement per request is accepted");
        }
        String code = withoutComments(sql).strip();
        if (code.isEmpty()) {
            throw new IllegalArgumentException("Empty query: pass it as the 'query' parameter or as the POST body");
        }
        Matcher keyword = LEADING_KEYWORD.matcher(code);
        String first = keyword.find() ? keyword.group(1).toUpperCase(Locale.ROOT) : "";
        if (!READ_ONLY_KEYWORDS.contains(first)) {
            throw new IllegalArgumentException("Read-only endpoint: " + (first.isEmpty() ? "this" : first)
                    + " statements are not accepted, only "
                    + String.join(", ", READ_ONLY_KEYWORDS.stream().sorted().toList()));
        }
        if (INTO_OUTFILE.matcher(sql).find() || INTO_OUTFILE.matcher(code).find()) {
            throw new IllegalArgumentException("Read-only endpoint: INTO OUTFILE is not accepted");
        }
        Matcher format = TRAILING_FORMAT.matcher(sql);
        Optional<String> explicitFormat = format.find() ? Optional.of(format.group(1)) : Optional.empty();
        return new ReadOnlyQuery(sql, explicitFormat);
    }

    /** Comments would hide a statement's first keyword from the check. */
    private static String withoutComments(String sql) {
        return sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)--.*$", "");
    }
}
