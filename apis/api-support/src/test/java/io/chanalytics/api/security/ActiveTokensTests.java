package io.chanalytics.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The introspection check against an endpoint that answers as Keycloak's does (RFC 7662: a form with the token, the
 * client's Basic credentials, {@code {"active": ...}}): what is counted is the calls it receives, and the stack's
 * SignIn tests run the same check against Keycloak itself with a deleted user.
 */
class ActiveTokensTests {

    private static final Duration TTL = Duration.ofMillis(700);
    private static final String SECRET = "api-secret";

    private final Set<String> inactive = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failWith;
    private HttpServer keycloak;
    private SimpleMeterRegistry meters;
    private ActiveTokens active;

    @BeforeEach
    void start() throws Exception {
        keycloak = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        keycloak.createContext("/introspect", exchange -> {
            calls.incrementAndGet();
            String expected = "Basic "
                    + Base64.getEncoder()
                            .encodeToString(("chanalytics-api:" + SECRET).getBytes(StandardCharsets.UTF_8));
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = URLDecoder.decode(form.replaceAll("^.*?token=([^&]*).*$", "$1"), StandardCharsets.UTF_8);
            int status = failWith != 0
                    ? failWith
                    : expected.equals(exchange.getRequestHeaders().getFirst("Authorization")) ? 200 : 401;
            byte[] body = ("{\"active\": " + !inactive.contains(token) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        keycloak.start();
        meters = new SimpleMeterRegistry();
        active = new ActiveTokens(
                WebClient.create(),
                URI.create("http://127.0.0.1:" + keycloak.getAddress().getPort() + "/introspect"),
                "chanalytics-api",
                SECRET,
                TTL,
                meters);
    }

    @AfterEach
    void stop() {
        keycloak.stop(0);
    }

    @Test
    void anActiveTokenIsAskedAboutOncePerInterval() {
        Jwt token = token("alice-1");
        for (int i = 0; i < 10; i++) {
            assertThat(active.check(token).block()).isSameAs(token);
        }
        assertThat(calls)
                .as("calls to the introspection endpoint for 10 requests")
                .hasValue(1);
        assertThat(count("active")).isEqualTo(1);
    }

    @Test
    void aTokenWhoseUserWasDeletedIsRefusedOnceTheAnswerExpires() throws Exception {
        Jwt token = token("bob-1");
        assertThat(active.check(token).block()).isSameAs(token);
        inactive.add(token.getTokenValue());
        assertThat(active.check(token).block())
                .as("Keycloak's last answer, for up to the interval")
                .isSameAs(token);

        Thread.sleep(TTL.toMillis() + 100);
        assertThatThrownBy(() -> active.check(token).block())
                .isInstanceOf(BadJwtException.class)
                .hasMessageContaining("no longer active");
        assertThat(calls).hasValue(2);
        assertThat(count("inactive")).isEqualTo(1);
    }

    @Test
    void aTokenAlreadyInactiveIsRefusedAtItsFirstRequest() {
        Jwt token = token("carol-1");
        inactive.add(token.getTokenValue());
        assertThatThrownBy(() -> active.check(token).block()).isInstanceOf(BadJwtException.class);
    }

    @Test
    void whenKeycloakCannotAnswerAValidTokenIsAcceptedAndNotAskedAboutAgainWithinTheInterval() {
        failWith = 503;
        Jwt token = token("dave-1");
        for (int i = 0; i < 5; i++) {
            assertThat(active.check(token).block()).isSameAs(token);
        }
        assertThat(calls).hasValue(1);
        assertThat(count("unreachable")).isEqualTo(1);
    }

    @Test
    void theApisAskWithTheirClientsSecret() {
        ActiveTokens wrongSecret = new ActiveTokens(
                WebClient.create(),
                URI.create("http://127.0.0.1:" + keycloak.getAddress().getPort() + "/introspect"),
                "chanalytics-api",
                "not-the-secret",
                TTL,
                meters);
        Jwt token = token("erin-1");
        inactive.add(token.getTokenValue());
        assertThatThrownBy(() -> active.check(token).block())
                .as("with the right secret the answer counts")
                .isInstanceOf(BadJwtException.class);
        assertThat(wrongSecret.check(token("frank-1")).block())
                .as("refused credentials are not an answer: counted as unreachable, the token accepted")
                .isNotNull();
        assertThat(count("unreachable")).isEqualTo(1);
    }

    private double count(String outcome) {
        return meters.get("chanalytics.auth.active.checks")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private static Jwt token(String id) {
        return Jwt.withTokenValue("token-of-" + id)
                .header("alg", "RS256")
                .jti(id)
                .subject(id)
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300))
                .build();
    }
}
