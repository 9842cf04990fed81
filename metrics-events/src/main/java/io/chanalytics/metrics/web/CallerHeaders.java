package io.chanalytics.metrics.web;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who is calling, as sent ({@code X-User-Id}, {@code X-Session-Id} or else the {@code SESSION} cookie,
 * {@code X-Region}); blank values are absent. Parsed once per request and kept on the exchange, so the recorded request
 * and the handler's business events always agree on the caller. Where the services sign callers in, the user is the
 * one their token proves ({@link #identify}), never the header's.
 */
public record CallerHeaders(
        @Nullable String userId,
        @Nullable String sessionId,
        @Nullable String region) {

    public static final String USER_HEADER = "X-User-Id";
    public static final String SESSION_HEADER = "X-Session-Id";
    public static final String REGION_HEADER = "X-Region";
    public static final String SESSION_COOKIE = "SESSION";

    static final String ATTRIBUTE = CallerHeaders.class.getName();

    /** The caller of this exchange: the one the filter parsed, or parsed now when the request is not recorded. */
    public static CallerHeaders of(ServerWebExchange exchange) {
        CallerHeaders attached = exchange.getAttribute(ATTRIBUTE);
        if (attached != null) {
            return attached;
        }
        CallerHeaders parsed = parse(exchange.getRequest());
        exchange.getAttributes().put(ATTRIBUTE, parsed);
        return parsed;
    }

    /**
     * States who the caller is for the rest of the exchange, the recorded request included: an authentication layer
     * puts the user it proved here ({@code null}: none proved), so that a header any client can write no longer
     * decides. Session and region stay as sent.
     */
    public static void identify(ServerWebExchange exchange, @Nullable String userId) {
        CallerHeaders sent = of(exchange);
        exchange.getAttributes().put(ATTRIBUTE, new CallerHeaders(userId, sent.sessionId(), sent.region()));
    }

    /**
     * The peer's address. Behind a proxy it is the client's once the application believes that proxy's forwarded
     * headers (Spring's {@code ForwardedHeaderTransformer}, which api-support applies for trusted proxies only): a
     * header any client can write never decides the address by itself. What the request metrics record and the rate
     * limits key anonymous callers by.
     */
    public static @Nullable String clientAddress(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    static CallerHeaders parse(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        return new CallerHeaders(
                blankToNull(headers.getFirst(USER_HEADER)),
                sessionId(request),
                blankToNull(headers.getFirst(REGION_HEADER)));
    }

    private static @Nullable String sessionId(ServerHttpRequest request) {
        String header = blankToNull(request.getHeaders().getFirst(SESSION_HEADER));
        if (header != null) {
            return header;
        }
        HttpCookie cookie = request.getCookies().getFirst(SESSION_COOKIE);
        return cookie == null ? null : blankToNull(cookie.getValue());
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
