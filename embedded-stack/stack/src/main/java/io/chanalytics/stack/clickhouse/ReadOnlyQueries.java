package io.chanalytics.stack.clickhouse;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.engine.ChDbConnection;
import io.chanalytics.clickhouse.engine.ChDbException;
import io.chanalytics.clickhouse.engine.QueryResult;
import io.chanalytics.clickhouse.engine.StatementClass;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs HTTP queries under the engine's own read-only rules: every statement runs on a session opened with
 * {@code readonly = 1} and the configured limits, so the engine itself refuses writes, {@code file}, {@code url},
 * {@code remote}, {@code s3}, {@code executable} and any change of a setting. Around it, what the engine leaves
 * open: the engine's parser must find exactly one read-only statement (chDB's client side would otherwise run
 * {@code INTO OUTFILE} and several statements), and no {@code SETTINGS} clause anywhere ({@link SyntaxTree}).
 */
final class ReadOnlyQueries implements AutoCloseable {

    /** Settings that a read-only client may lower but not raise (ClickHouse's {@code changeable_in_readonly}). */
    private static final Set<String> LIMITS = Set.of("max_execution_time", "max_result_rows", "max_result_bytes");

    private final QueryLimits limits;
    private final ReaderSessions sessions;

    ReadOnlyQueries(ChDb engine, QueryLimits limits) {
        this.limits = limits;
        this.sessions = new ReaderSessions(engine, limits.maxConcurrentQueries());
    }

    QueryResult run(ReadRequest request) {
        ReaderSession session = sessionFor(request);
        return sessions.with(session, connection -> {
            try {
                checkUnchanged(connection, request.settings());
                checkStatement(connection, request.sql(), request.parameters());
                return connection.query(request.sql(), request.format(), request.parameters());
            } catch (ChDbException e) {
                throw e.engineError().map(ClickHouseError::fromEngine).orElseThrow(() -> e);
            }
        });
    }

    private ReaderSession sessionFor(ReadRequest request) {
        ReaderSession defaults = ReaderSession.defaults(limits);
        Map<String, String> settings = request.settings();
        return new ReaderSession(
                request.database(),
                lowered(settings, "max_execution_time", defaults.maxExecutionSeconds()),
                lowered(settings, "max_result_rows", defaults.maxResultRows()),
                lowered(settings, "max_result_bytes", defaults.maxResultBytes()),
                lowered(settings, "max_memory_usage", defaults.maxMemoryUsage()),
                lowered(settings, "max_rows_to_read", defaults.maxRowsToRead()));
    }

    private static long lowered(Map<String, String> settings, String name, long ceiling) {
        String value = settings.get(name);
        if (value == null) {
            return ceiling;
        }
        long requested;
        try {
            requested = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.BAD_ARGUMENTS, "Cannot parse '" + value + "' as a value of " + name);
        }
        // 0 means "no limit" to ClickHouse, so it raises the limit like any value above the ceiling.
        if (requested < 1 || requested > ceiling) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.SETTING_CONSTRAINT_VIOLATION,
                    "Setting " + name + " should be between 1 and " + ceiling + " on this read-only interface, got "
                            + value);
        }
        return requested;
    }

    /** A read-only session may "set" a setting only to the value it already has, as in ClickHouse. */
    private static void checkUnchanged(ChDbConnection connection, Map<String, String> settings) {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey();
            if (LIMITS.contains(name)) {
                continue;
            }
            String current = new String(
                            connection
                                    .query(
                                            "SELECT value FROM system.settings WHERE name = {name:String}",
                                            "TabSeparatedRaw",
                                            Map.of("name", name))
                                    .data(),
                            StandardCharsets.UTF_8)
                    .strip();
            if (current.isEmpty()) {
                throw ClickHouseError.of(ClickHouseError.Code.UNKNOWN_SETTING, "Unknown setting '" + name + "'");
            }
            if (!normalized(current).equals(normalized(setting.getValue()))) {
                throw ClickHouseError.of(
                        ClickHouseError.Code.READONLY, "Cannot modify '" + name + "' setting in readonly mode");
            }
        }
    }

    private static void checkStatement(ChDbConnection connection, String sql, Map<String, String> parameters) {
        StatementClass statement = connection.classify(sql);
        // EXPLAIN AST only parses; on text that does not parse it gives the engine's own syntax error.
        SyntaxTree tree = SyntaxTree.of(new String(
                connection
                        .query("EXPLAIN AST " + sql, "TabSeparated", parameters)
                        .data(),
                StandardCharsets.UTF_8));
        if (!tree.isWellFormed()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.SYNTAX_ERROR,
                    "Put FORMAT last in the query (or use default_format / X-ClickHouse-Format): this read-only"
                            + " interface reads the statement without it");
        }
        if (!statement.isSingleRead()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.READONLY,
                    statement.statements() > 1
                            ? "Cannot execute several statements in one request"
                            : "Cannot execute query in readonly mode (" + statement.kind() + " statement)");
        }
        if (tree.describesTableFunction()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.READONLY,
                    "Cannot describe a table function in readonly mode: inferring its schema reads the source");
        }
        if (tree.setsSettings()) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.READONLY,
                    "Cannot modify settings in readonly mode: pass them as URL parameters, not in SETTINGS");
        }
    }

    private static String normalized(String value) {
        String lower = value.strip().toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "true" -> "1";
            case "false" -> "0";
            default -> lower;
        };
    }

    @Override
    public void close() {
        sessions.close();
    }
}
