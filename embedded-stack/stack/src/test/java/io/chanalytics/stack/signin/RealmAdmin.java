package io.chanalytics.stack.signin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.keycloak.PasswordGrant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keycloak's admin REST API as the realm's administrators use it (the master realm's admin, through admin-cli): users
 * and clients a test makes for itself and removes, so that the realm file keeps only what the stack needs.
 */
public final class RealmAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI realmAdmin;
    private final String adminToken;

    public RealmAdmin(KeycloakSettings keycloak) {
        URI base = keycloak.localBase();
        this.realmAdmin = base.resolve("/admin/realms/" + keycloak.realm() + "/");
        this.adminToken =
                PasswordGrant.accessToken(base, "master", "admin-cli", keycloak.adminUser(), keycloak.adminPassword());
    }

    /** A user with a password and no role; its id. */
    public String createUser(String username, String password) {
        return create(
                "users",
                Map.of(
                        "username",
                        username,
                        "enabled",
                        true,
                        "email",
                        username + "@example.com",
                        "emailVerified",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        "User",
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", false))));
    }

    public void deleteUser(String id) {
        send("DELETE", "users/" + id, null, 204);
    }

    /**
     * A public client for the password grant whose access tokens live {@code lifespan} (for tokens that expire
     * during a test), with the APIs as their audience like the realm's command-line client; its internal id.
     */
    public String createShortLivedClient(String clientId, Duration lifespan) {
        return create(
                "clients",
                Map.of(
                        "clientId",
                        clientId,
                        "enabled",
                        true,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        false,
                        "directAccessGrantsEnabled",
                        true,
                        "attributes",
                        Map.of("access.token.lifespan", Long.toString(lifespan.toSeconds())),
                        "protocolMappers",
                        List.of(Map.of(
                                "name",
                                "audience chanalytics-api",
                                "protocol",
                                "openid-connect",
                                "protocolMapper",
                                "oidc-audience-mapper",
                                "config",
                                Map.of(
                                        "included.client.audience", "chanalytics-api",
                                        "access.token.claim", "true")))));
    }

    public void deleteClient(String id) {
        send("DELETE", "clients/" + id, null, 204);
    }

    /** POSTs {@code body} to {@code path}; the id Keycloak gave what it created, the last segment of its Location. */
    private String create(String path, Object body) {
        String location =
                send("POST", path, body, 201).headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private HttpResponse<String> send(String method, String path, Object body, int expected) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(realmAdmin.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + adminToken);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(String.format(
                        "Keycloak answered %s %s with %d: %s", method, path, response.statusCode(), response.body()));
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak's admin API does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling Keycloak's admin API", e);
        }
    }
}
