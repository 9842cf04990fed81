package io.chanalytics.api.security;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Whether a token with a valid signature is still active. A signature proves who Keycloak said the caller was when it
 * issued the token, not that the user still exists: a user deleted (or disabled, or signed out) keeps a working token
 * until it expires, five minutes by default. So the service asks Keycloak's introspection endpoint (RFC 7662), as the
 * APIs' own client, and refuses the token (401) once Keycloak answers {@code active: false}.
 *
 * <p>The answer is kept per token for {@code ttl}, so a caller's requests cost Keycloak one call per token and
 * interval, and the refusal comes at most that long after the deletion. When Keycloak cannot be reached, or refuses
 * the APIs' client, a valid token is accepted (the signature still holds; sign-in must not take the APIs down with
 * Keycloak) and that is remembered for the same interval, counted and logged: {@code
 * chanalytics.auth.active.checks{outcome=active|inactive|unreachable}}.
 */
final class ActiveTokens {

    private static final Logger log = LoggerFactory.getLogger(ActiveTokens.class);
    private static final ParameterizedTypeReference<Map<String, Object>> ANSWER = new ParameterizedTypeReference<>() {};

    enum Outcome {
        ACTIVE,
        INACTIVE,
        UNREACHABLE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final WebClient web;
    private final URI introspectionUri;
    private final String clientId;
    private final String clientSecret;
    private final AsyncCache<String, Outcome> answers;
    private final Map<Outcome, Counter> counters;

    ActiveTokens(
            WebClient web,
            URI introspectionUri,
            String clientId,
            String clientSecret,
            Duration ttl,
            MeterRegistry meters) {
        this.web = web;
        this.introspectionUri = introspectionUri;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.answers =
                Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).buildAsync();
        this.counters = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, counter(meters, outcome));
        }
    }

    /** The token again if it is still active (or cannot be checked), else a bad-token error: a 401. */
    Mono<Jwt> check(Jwt token) {
        // Keycloak gives every access token an id (jti); the token itself is the key of one without.
        String key = token.getId() != null ? token.getId() : token.getTokenValue();
        return Mono.fromFuture(() -> answers.get(
                        key,
                        (ignored, executor) -> introspect(token.getTokenValue()).toFuture()))
                .flatMap(outcome -> outcome == Outcome.INACTIVE
                        ? Mono.error(
                                new BadJwtException(
                                        "The token is no longer active: its user was removed or disabled, or its session ended"))
                        : Mono.just(token));
    }

    private Mono<Outcome> introspect(String token) {
        return web.post()
                .uri(introspectionUri)
                .headers(headers -> headers.setBasicAuth(clientId, clientSecret))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData("token", token).with("token_type_hint", "access_token"))
                .retrieve()
                .bodyToMono(ANSWER)
                .map(answer -> Boolean.TRUE.equals(answer.get("active")) ? Outcome.ACTIVE : Outcome.INACTIVE)
                .onErrorResume(failure -> {
                    log.warn(
                            "Cannot ask {} whether a token is active ({}); accepting it on its signature",
                            introspectionUri,
                            failure.toString());
                    return Mono.just(Outcome.UNREACHABLE);
                })
                .doOnNext(outcome -> counters.get(outcome).increment());
    }

    private static Counter counter(MeterRegistry meters, Outcome outcome) {
        return Counter.builder("chanalytics.auth.active.checks")
                .description("Tokens checked with Keycloak's introspection endpoint, by its answer")
                .tag("outcome", outcome.tag())
                .register(meters);
    }
}
