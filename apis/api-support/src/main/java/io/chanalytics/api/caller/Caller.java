package io.chanalytics.api.caller;

import io.chanalytics.api.problem.ApiProblem;
import io.chanalytics.metrics.web.CallerHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, from the caller headers the request recorder already parsed ({@link CallerHeaders}: the
 * {@code SESSION} cookie stands in for {@code X-Session-Id}), so the recorded request and the business events agree.
 * Handlers take it as an argument. With sign-in on, the user is the subject of the caller's token (api-support's
 * security package puts it in place of {@code X-User-Id}); with it off, the headers are trusted as sent.
 */
public record Caller(String userId, String sessionId, String region) {

    public static final String USER_ID = CallerHeaders.USER_HEADER;
    public static final String SESSION_ID = CallerHeaders.SESSION_HEADER;
    public static final String REGION = CallerHeaders.REGION_HEADER;

    /** Longer values are rejected: they end up in database keys and analytics columns. */
    public static final int MAX_LENGTH = 64;

    public static Caller from(ServerWebExchange exchange) {
        CallerHeaders headers = CallerHeaders.of(exchange);
        return new Caller(
                bounded(USER_ID, headers.userId()),
                bounded(SESSION_ID, headers.sessionId()),
                bounded(REGION, headers.region()));
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

    private static String bounded(String name, String value) {
        if (value != null && value.length() > MAX_LENGTH) {
            throw ApiProblem.badRequest(name, name + " must be at most " + MAX_LENGTH + " characters");
        }
        return value;
    }
}
