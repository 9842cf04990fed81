package io.chanalytics.api.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * How a token is checked: its signature against the realm's public keys (RS256, the realm's default; a token with
 * {@code alg: none} or another algorithm is refused), then issuer, audience and expiry. The keys are fetched from the
 * JWK set URI when the first token arrives and kept; a key id not among them makes the decoder fetch the set again
 * (Keycloak rotated its keys, or restarted with new ones), at most once per refetch interval ({@link RealmKeys}), so a
 * Keycloak that is down only affects tokens signed with a key the service has never seen. Fetches time out, so such
 * requests are answered 503 quickly rather than held.
 */
final class TokenDecoder {

    private static final Logger log = LoggerFactory.getLogger(TokenDecoder.class);

    private TokenDecoder() {}

    static ReactiveJwtDecoder of(SignInProperties properties, MeterRegistry meters) {
        int timeoutMillis = Math.toIntExact(properties.keyFetchTimeout().toMillis());
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .responseTimeout(properties.keyFetchTimeout());
        WebClient web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSource(
                        new RealmKeys(web, properties.jwkSetUri(), properties.keyRefetchInterval()))
                .build();
        decoder.setJwtValidator(validator(properties));
        ReactiveJwtDecoder checked = activeCheck(properties, web, meters)
                .<ReactiveJwtDecoder>map(
                        active -> token -> decoder.decode(token).flatMap(active::check))
                .orElse(decoder);
        // Spring Security reports keys it could not fetch as an IllegalStateException, which no authentication step
        // handles (a 500). As a JwtException that is not a bad token, it becomes an authentication service failure:
        // SecurityProblems' 503.
        return token -> checked.decode(token)
                .onErrorMap(
                        IllegalStateException.class,
                        unreachable -> new JwtException(
                                "The realm's keys could not be fetched: " + unreachable.getMessage(), unreachable));
    }

    /** Keycloak's answer to "is this token still active?", where the APIs' client secret is set. */
    private static Optional<ActiveTokens> activeCheck(
            SignInProperties properties, WebClient web, MeterRegistry meters) {
        if (properties.clientSecret() == null || properties.clientSecret().isBlank()) {
            log.warn(
                    "No client secret for {} (API_OAUTH_CLIENT_SECRET): a token stays valid until it expires, even"
                            + " if its user is deleted",
                    properties.audience());
            return Optional.empty();
        }
        return Optional.of(new ActiveTokens(
                web,
                properties.introspectionUri(),
                properties.audience(),
                properties.clientSecret(),
                properties.activeCheckTtl(),
                meters));
    }

    static OAuth2TokenValidator<Jwt> validator(SignInProperties properties) {
        String audience = properties.audience();
        return new DelegatingOAuth2TokenValidator<>(
                new JwtTimestampValidator(properties.clockSkew()),
                new JwtIssuerValidator(properties.issuer().toString()),
                new JwtClaimValidator<List<String>>(
                        JwtClaimNames.AUD, audiences -> audiences != null && audiences.contains(audience)));
    }
}
