package io.chanalytics.stack.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.keycloak.PasswordGrant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tokens from the stack's real Keycloak, got as clients get them ({@link PasswordGrant}), and what a test reads in
 * them.
 */
public final class RealmTokens {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakSettings keycloak;

    public RealmTokens(KeycloakSettings keycloak) {
        this.keycloak = keycloak;
    }

    /** A demo user's access token from the command-line client, the one scripts/token.sh and the simulator use. */
    public String of(String user) {
        return PasswordGrant.demoUser(keycloak, user);
    }

    /** A password grant on any realm and client of this Keycloak; fails with Keycloak's answer when refused. */
    public String grant(String realm, String client, String user, String password) {
        return PasswordGrant.accessToken(keycloak.localBase(), realm, client, user, password);
    }

    /** The token's claims (its payload, not verified: the test reads what Keycloak put there). */
    public static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        return json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    public static String subject(String token) {
        return claims(token).path("sub").asText();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + text, e);
        }
    }
}
