package io.chanalytics.api.caller;

import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.metrics.web.RequestMetricsFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, from the same headers the request recorder reads ({@code X-User-Id}, {@code X-Session-Id},
 * {@code X-Region}). There is no authentication in this reference stack: the headers are trusted as sent.
 */
public record Caller(String userId, String sessionId, String region) {

    public static final String USER_ID = RequestMetricsFilter.USER_HEADER;
    public static final String SESSION_ID = RequestMetricsFilter.SESSION_HEADER;
    public static final String REGION = RequestMetricsFilter.REGION_HEADER;

    /** Longer header values are rejected: they end up in database keys and analytics columns. */
    public static final int MAX_LENGTH = 64;

    public static Caller from(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return new Caller(header(headers, USER_ID), header(headers, SESSION_ID), header(headers, REGION));
    }

    /**
     * The key a cart or order belongs to: the user when known, otherwise the anonymous session. A caller
     * with neither gets a problem naming {@code X-User-Id}.
     */
    public String ownerKey() {
        if (userId != null) {
            return "user:" + userId;
        }
        if (sessionId != null) {
            return "session:" + sessionId;
        }
        throw ApiProblem.badRequest(USER_ID, "Send X-User-Id, or X-Session-Id for an anonymous cart");
    }

    private static String header(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_LENGTH) {
            throw ApiProblem.badRequest(name, name + " must be at most " + MAX_LENGTH + " characters");
        }
        return value.strip();
    }
}
