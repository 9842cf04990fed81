package io.chanalytics.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The claims a token must carry besides a valid signature (which the stack's SignIn tests check with Keycloak's own
 * tokens): expiry within the allowed skew, the realm as issuer, the APIs among its audiences.
 */
class TokenDecoderTests {

    private static final URI ISSUER = URI.create("http://localhost:8180/realms/chanalytics");
    private static final SignInProperties PROPERTIES = new SignInProperties(
            true,
            ISSUER,
            URI.create(ISSUER + "/protocol/openid-connect/certs"),
            "chanalytics-api",
            Duration.ofSeconds(5),
            Duration.ofSeconds(3),
            Duration.ofSeconds(5),
            URI.create(ISSUER + "/protocol/openid-connect/token/introspect"),
            "",
            Duration.ofSeconds(10));

    @Test
    void aTokenOfTheRealmForTheApisIsValid() {
        assertThat(validate(token(ISSUER.toString(), List.of("chanalytics-api", "account"), Instant.now())))
                .satisfies(result -> assertThat(result.hasErrors()).isFalse());
    }

    @Test
    void anExpiredTokenIsRefusedOnceBeyondTheSkew() {
        Instant now = Instant.now();
        assertThat(validate(token(ISSUER.toString(), List.of("chanalytics-api"), now.minusSeconds(4)))
                        .hasErrors())
                .as("expired 4 s ago, within 5 s of skew")
                .isFalse();
        assertThat(validate(token(ISSUER.toString(), List.of("chanalytics-api"), now.minusSeconds(10)))
                        .getErrors())
                .singleElement()
                .satisfies(error -> assertThat(error.getDescription()).contains("expired"));
    }

    @Test
    void anotherIssuerOrAudienceIsRefused() {
        Instant later = Instant.now().plusSeconds(60);
        assertThat(validate(token("http://localhost:8180/realms/master", List.of("chanalytics-api"), later))
                        .hasErrors())
                .as("another realm")
                .isTrue();
        assertThat(validate(token(ISSUER.toString(), List.of("account"), later)).hasErrors())
                .as("another audience")
                .isTrue();
        assertThat(validate(token(ISSUER.toString(), List.of(), later)).hasErrors())
                .as("no audience")
                .isTrue();
    }

    private static OAuth2TokenValidatorResult validate(Jwt token) {
        return TokenDecoder.validator(PROPERTIES).validate(token);
    }

    private static Jwt token(String issuer, List<String> audience, Instant expires) {
        Jwt.Builder builder = Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .issuer(issuer)
                .subject("00000000-0000-4000-a000-000000000001")
                .issuedAt(expires.minusSeconds(300))
                .expiresAt(expires);
        if (!audience.isEmpty()) {
            builder.audience(audience);
        }
        return builder.build();
    }
}
