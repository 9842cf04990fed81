package io.chanalytics.crud.user;

import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The signed-in caller as their Keycloak token states it: {@code userId} is the token's subject, the user id the
 * analytics record for this caller; the rest is what the realm's default scopes put in an access token.
 */
public record Profile(String userId, String username, String email, String name, List<String> roles) {

    static Profile of(Jwt token) {
        List<String> roles = token.getClaims().get("realm_access") instanceof Map<?, ?> access
                        && access.get("roles") instanceof List<?> names
                ? names.stream().map(String::valueOf).sorted().toList()
                : List.of();
        return new Profile(
                token.getSubject(),
                token.getClaimAsString("preferred_username"),
                token.getClaimAsString("email"),
                token.getClaimAsString("name"),
                roles);
    }
}
