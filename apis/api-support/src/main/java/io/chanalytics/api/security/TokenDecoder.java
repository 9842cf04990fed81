package io.chanalytics.api.security;

import io.netty.channel.ChannelOption;
import java.util.List;
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
 * (Keycloak rotated its keys, or restarted with new ones), so a Keycloak that is down only affects tokens signed with
 * a key the service has never seen. Fetches time out, so such requests are answered 503 quickly rather than held.
 */
final class TokenDecoder {

    private TokenDecoder() {}

    static ReactiveJwtDecoder of(SignInProperties properties) {
        int timeoutMillis = Math.toIntExact(properties.keyFetchTimeout().toMillis());
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .responseTimeout(properties.keyFetchTimeout());
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(
                        properties.jwkSetUri().toString())
                .webClient(WebClient.builder()
                        .clientConnector(new ReactorClientHttpConnector(http))
                        .build())
                .build();
        decoder.setJwtValidator(validator(properties));
        // Spring Security reports keys it could not fetch as an IllegalStateException, which no authentication step
        // handles (a 500). As a JwtException that is not a bad token, it becomes an authentication service failure:
        // SecurityProblems' 503.
        return token -> decoder.decode(token)
                .onErrorMap(
                        IllegalStateException.class,
                        unreachable -> new JwtException(
                                "The realm's keys could not be fetched: " + unreachable.getMessage(), unreachable));
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
