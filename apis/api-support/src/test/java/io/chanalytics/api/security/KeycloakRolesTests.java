package io.chanalytics.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

class KeycloakRolesTests {

    @Test
    void theRealmRolesBecomeSpringRoles() {
        Jwt token = token(Map.of("roles", List.of("customer", "admin", "default-roles-chanalytics")));

        assertThat(new KeycloakRoles().convert(token))
                .extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_customer", "ROLE_admin", "ROLE_default-roles-chanalytics");
    }

    @Test
    void aTokenWithoutRealmRolesHasNone() {
        assertThat(new KeycloakRoles().convert(token(Map.of()))).isEmpty();
        assertThat(new KeycloakRoles().convert(token(Map.of("roles", "admin")))).isEmpty();
    }

    private static Jwt token(Map<String, Object> realmAccess) {
        return Jwt.withTokenValue("token")
                .header("alg", "RS256")
                .subject("user")
                .claim("realm_access", realmAccess)
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(60))
                .build();
    }
}
