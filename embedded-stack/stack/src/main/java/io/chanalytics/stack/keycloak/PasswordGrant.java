package io.chanalytics.stack.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An access token from Keycloak's token endpoint by the password grant, as scripts/token.sh gets one: for the
 * verifier's session, the benchmarks' load and the tests, which act as the realm's demo users.
 */
public final class PasswordGrant {

    /** The realm's public client for scripts and command-line tools (keycloak/import/chanalytics-realm.json). */
    public static final String CLI_CLIENT = "chanalytics-cli";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PasswordGrant() {}

    /** A demo user's token from the command-line client, at Keycloak as {@code base} reaches it. */
    public static String accessToken(URI base, String realm, String user, String password) {
        return accessToken(base, realm, CLI_CLIENT, user, password);
    }

    /** A demo user's token from the command-line client of a stack's own Keycloak. */
    public static String demoUser(KeycloakSettings keycloak, String user) {
        return accessToken(keycloak.localBase(), keycloak.realm(), user, keycloak.demoPassword());
    }

    /** Any realm's and client's token; fails with Keycloak's answer when it refuses. */
    public static String accessToken(URI base, String realm, String client, String user, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", client);
        form.put("username", user);
        form.put("password", password);
        String body = form.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI endpoint = base.resolve("/realms/" + realm + "/protocol/openid-connect/token");
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(String.format(
                        "Keycloak refused %s on %s/%s: HTTP %d %s",
                        user, realm, client, response.statusCode(), response.body()));
            }
            JsonNode answer = JSON.readTree(response.body());
            return answer.path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak does not answer at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while asking Keycloak for a token", e);
        }
    }
}
