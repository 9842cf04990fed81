package io.chanalytics.api.security;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sign-in's settings ({@code chanalytics.auth.*}, from the environment: chanalytics-service.yml).
 *
 * @param enabled false opens every route and trusts {@code X-User-Id} (local experiments)
 * @param issuer the {@code iss} every token must carry: Keycloak's realm URL as clients reach it
 * @param jwkSetUri where the realm's public keys are fetched, as this service reaches Keycloak
 * @param audience the {@code aud} every token must include: the realm's client that stands for the APIs
 * @param clockSkew how far a token's times may be off this machine's clock
 * @param keyFetchTimeout how long a key fetch may take before the request is answered 503
 */
@ConfigurationProperties("chanalytics.auth")
public record SignInProperties(
        @DefaultValue("true") boolean enabled,
        URI issuer,
        URI jwkSetUri,
        @DefaultValue("chanalytics-api") String audience,
        @DefaultValue("5s") Duration clockSkew,
        @DefaultValue("3s") Duration keyFetchTimeout) {}
