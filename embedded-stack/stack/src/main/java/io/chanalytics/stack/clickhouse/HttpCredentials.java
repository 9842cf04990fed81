package io.chanalytics.stack.clickhouse;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The user and password of a request, found the ways ClickHouse's HTTP interface accepts them: the
 * {@code X-ClickHouse-User} / {@code X-ClickHouse-Key} headers, HTTP Basic, or the {@code user} / {@code password}
 * parameters; mixing two ways is refused, as ClickHouse refuses it. Without any, the user is {@code default}.
 */
record HttpCredentials(String user, String password) {

    static HttpCredentials of(Headers headers, Map<String, String> parameters) {
        String headerUser = headers.getFirst("X-ClickHouse-User");
        String headerKey = headers.getFirst("X-ClickHouse-Key");
        String authorization = headers.getFirst("Authorization");
        boolean inParameters = parameters.containsKey("user") || parameters.containsKey("password");
        if (headerUser != null || headerKey != null) {
            if (authorization != null || inParameters) {
                throw mixed("X-ClickHouse HTTP headers");
            }
            return new HttpCredentials(orDefault(headerUser, "default"), orDefault(headerKey, ""));
        }
        if (authorization != null) {
            if (inParameters) {
                throw mixed("Authorization HTTP header");
            }
            return basic(authorization);
        }
        return new HttpCredentials(
                orDefault(parameters.get("user"), "default"), orDefault(parameters.get("password"), ""));
    }

    private static HttpCredentials basic(String authorization) {
        int space = authorization.indexOf(' ');
        String scheme = space < 0 ? authorization : authorization.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.AUTHENTICATION_FAILED,
                    "Invalid authentication: '" + scheme + "' HTTP Authorization scheme is not supported");
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder()
                            .decode(authorization.substring(space + 1).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ClickHouseError.of(
                    ClickHouseError.Code.AUTHENTICATION_FAILED, "Invalid authentication: malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        return colon < 0
                ? new HttpCredentials(decoded, "")
                : new HttpCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** Whether these are the interface's credentials; without a password set, the default user is let in too. */
    boolean admits(ClickHouseHttpSettings settings) {
        if (!settings.requiresPassword()) {
            return (user.equals(settings.user()) || user.equals("default")) && password.isEmpty();
        }
        return user.equals(settings.user()) && password.equals(settings.password());
    }

    ClickHouseError refusal() {
        return ClickHouseError.of(
                ClickHouseError.Code.AUTHENTICATION_FAILED,
                user + ": Authentication failed: password is incorrect, or there is no user with such name");
    }

    private static ClickHouseError mixed(String way) {
        return ClickHouseError.of(
                ClickHouseError.Code.AUTHENTICATION_FAILED,
                "Invalid authentication: it is not allowed to use " + way + " and other authentication methods"
                        + " simultaneously");
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
