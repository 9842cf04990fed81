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
 * @param keyRefetchInterval the least time between two fetches of the realm's keys for key ids they did not list
 * @param introspectionUri where the service asks whether a token is still active (RFC 7662), as this service reaches
 *     Keycloak
 * @param clientSecret the secret of the audience's client, with which it asks; blank: it does not ask
 * @param activeCheckTtl how long Keycloak's answer for a token is kept: the longest a deleted user's token still works
 */
@ConfigurationProperties("chanalytics.auth")
public record SignInProperties(
        @DefaultValue("true") boolean enabled,
        URI issuer,
        URI jwkSetUri,
        @DefaultValue("chanalytics-api") String audience,
        @DefaultValue("5s") Duration clockSkew,
        @DefaultValue("3s") Duration keyFetchTimeout,
        @DefaultValue("5s") Duration keyRefetchInterval,
        URI introspectionUri,
        String clientSecret,
        @DefaultValue("10s") Duration activeCheckTtl) {}
