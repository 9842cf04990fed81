package io.chanalytics.stack.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tokens from the stack's real Keycloak, got as clients get them (the password grant), and what a test reads in them.
 */
public final class RealmTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final KeycloakSettings keycloak;

    public RealmTokens(KeycloakSettings keycloak) {
        this.keycloak = keycloak;
    }

    /** A demo user's access token from the command-line client, the one scripts/token.sh and the simulator use. */
    public String of(String user) {
        return grant(keycloak.realm(), "chanalytics-cli", user, keycloak.demoPassword());
    }

    /** A password grant on any realm and client of this Keycloak; fails with Keycloak's answer when refused. */
    public String grant(String realm, String client, String user, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", client);
        form.put("username", user);
        form.put("password", password);
        URI endpoint = URI.create(
                "http://127.0.0.1:" + keycloak.port() + "/realms/" + realm + "/protocol/openid-connect/token");
        HttpResponse<String> response = post(endpoint, form);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    String.format("Keycloak refused %s on %s/%s: %s", user, realm, client, response.body()));
        }
        return json(response.body()).path("access_token").asText();
    }

    /** The token's claims (its payload, not verified: the test reads what Keycloak put there). */
    public static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        return json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }

    public static String subject(String token) {
        return claims(token).path("sub").asText();
    }

    private static HttpResponse<String> post(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak does not answer at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + text, e);
        }
    }
}
