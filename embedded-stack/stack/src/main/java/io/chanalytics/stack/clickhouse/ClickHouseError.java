package io.chanalytics.stack.clickhouse;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error as ClickHouse reports it over HTTP: its code (in {@code X-ClickHouse-Exception-Code}), the HTTP status
 * ClickHouse gives that code, and a body {@code Code: N. DB::Exception: ... (NAME)} that clients parse.
 */
public final class ClickHouseError extends RuntimeException {

    /** The codes this interface raises itself, with ClickHouse's numbers ({@code errorCodeToName} agrees). */
    public enum Code {
        BAD_ARGUMENTS(36),
        NOT_IMPLEMENTED(48),
        SYNTAX_ERROR(62),
        UNKNOWN_FORMAT(73),
        UNKNOWN_SETTING(115),
        TIMEOUT_EXCEEDED(159),
        READONLY(164),
        TOO_MANY_SIMULTANEOUS_QUERIES(202),
        CANNOT_DECOMPRESS(271),
        SETTING_CONSTRAINT_VIOLATION(452),
        AUTHENTICATION_FAILED(516);

        final int number;

        Code(int number) {
            this.number = number;
        }
    }

    // ClickHouse's exceptionCodeToHTTPStatus (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp), by error name.
    private static final Set<String> FORBIDDEN =
            Set.of("UNKNOWN_USER", "WRONG_PASSWORD", "AUTHENTICATION_FAILED", "SET_NON_GRANTED_ROLE", "ACCESS_DENIED");
    private static final Set<String> BAD_REQUEST = Set.of(
            "BAD_ARGUMENTS",
            "CANNOT_COMPILE_REGEXP",
            "CANNOT_PARSE_TEXT",
            "CANNOT_PARSE_ESCAPE_SEQUENCE",
            "CANNOT_PARSE_QUOTED_STRING",
            "CANNOT_PARSE_DATE",
            "CANNOT_PARSE_DATETIME",
            "CANNOT_PARSE_NUMBER",
            "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING",
            "CANNOT_PARSE_IPV4",
            "CANNOT_PARSE_IPV6",
            "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
            "CANNOT_PARSE_UUID",
            "DUPLICATE_COLUMN",
            "ILLEGAL_COLUMN",
            "UNKNOWN_ELEMENT_IN_AST",
            "UNKNOWN_TYPE_OF_AST_NODE",
            "THERE_IS_NO_COLUMN",
            "TOO_DEEP_AST",
            "TOO_BIG_AST",
            "UNEXPECTED_AST_STRUCTURE",
            "SYNTAX_ERROR",
            "INCORRECT_DATA",
            "TYPE_MISMATCH",
            "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE");
    private static final Set<String> NOT_FOUND = Set.of(
            "UNKNOWN_TABLE",
            "UNKNOWN_FUNCTION",
            "UNKNOWN_IDENTIFIER",
            "UNKNOWN_TYPE",
            "UNKNOWN_STORAGE",
            "UNKNOWN_DATABASE",
            "UNKNOWN_SETTING",
            "UNKNOWN_DIRECTION_OF_SORTING",
            "UNKNOWN_AGGREGATE_FUNCTION",
            "UNKNOWN_FORMAT",
            "UNKNOWN_DATABASE_ENGINE",
            "UNKNOWN_TYPE_OF_QUERY",
            "UNKNOWN_ROLE");
    private static final Pattern ENGINE_CODE = Pattern.compile("Code: (\\d+)\\.");
    private static final Pattern ENGINE_NAME = Pattern.compile("\\(([A-Z][A-Z0-9_]+)\\)(?!.*\\([A-Z][A-Z0-9_]+\\))");

    private final int code;
    private final String name;
    private final String body;

    private ClickHouseError(int code, String name, String body) {
        super(body.strip());
        this.code = code;
        this.name = name;
        this.body = body.endsWith("\n") ? body : body + "\n";
    }

    /** An error this interface raises, worded the way the engine words its own. */
    public static ClickHouseError of(Code code, String message) {
        return new ClickHouseError(
                code.number, code.name(), "Code: " + code.number + ". DB::Exception: " + message + ". (" + code + ")");
    }

    /** An error the engine raised, passed on as the engine wrote it. */
    public static ClickHouseError fromEngine(String engineError) {
        Matcher code = ENGINE_CODE.matcher(engineError);
        Matcher name = ENGINE_NAME.matcher(engineError.replace('\n', ' '));
        return new ClickHouseError(
                code.find() ? Integer.parseInt(code.group(1)) : 0, name.find() ? name.group(1) : "", engineError);
    }

    public int code() {
        return code;
    }

    public String name() {
        return name;
    }

    public String body() {
        return body;
    }

    /** The HTTP status the ClickHouse server answers this error with. */
    public int httpStatus() {
        if (name.equals("REQUIRED_PASSWORD")) {
            return 401;
        }
        if (FORBIDDEN.contains(name)) {
            return 403;
        }
        if (BAD_REQUEST.contains(name)) {
            return 400;
        }
        if (NOT_FOUND.contains(name)) {
            return 404;
        }
        return switch (name) {
            case "QUERY_IS_TOO_LARGE" -> 413;
            case "NOT_IMPLEMENTED" -> 501;
            case "SOCKET_TIMEOUT", "CANNOT_OPEN_FILE", "CANNOT_SCHEDULE_TASK" -> 503;
            case "HTTP_LENGTH_REQUIRED" -> 411;
            case "TIMEOUT_EXCEEDED" -> 408;
            case "UNSUPPORTED_MEDIA_TYPE" -> 415;
            default -> 500;
        };
    }
}
