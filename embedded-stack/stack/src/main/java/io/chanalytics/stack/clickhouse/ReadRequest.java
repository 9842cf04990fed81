package io.chanalytics.stack.clickhouse;

import java.util.Map;

/**
 * One query for the read-only engine side, as the HTTP request gave it.
 *
 * @param sql the statement, without a trailing {@code FORMAT} clause
 * @param format the output format (the statement's own, else the request's default)
 * @param database the session's current database
 * @param settings query-level settings the client sent (URL parameters that are not protocol parameters)
 * @param parameters values for the statement's {@code {name:Type}} placeholders ({@code param_name})
 */
record ReadRequest(
        String sql, String format, String database, Map<String, String> settings, Map<String, String> parameters) {}
