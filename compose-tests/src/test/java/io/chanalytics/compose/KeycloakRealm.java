package io.chanalytics.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.stack.RepositoryLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * The realm file of keycloak/import as Keycloak imports it: each {@code ${NAME}} or {@code ${NAME:default}} placeholder
 * replaced by the variable of the Keycloak container's environment, or by its default, as Keycloak 26.7's import
 * resolves them (keycloak/README.md); one without either is an error here.
 */
record KeycloakRealm(JsonNode json) {

    static final Path FILE = RepositoryLayout.root().resolve("keycloak/import/chanalytics-realm.json");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

    /** The realm with the placeholders resolved from {@code environment} (a compose service's, interpolated). */
    static KeycloakRealm importedWith(Map<String, ?> environment) {
        try {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(FILE));
            StringBuilder text = new StringBuilder();
            while (placeholder.find()) {
                Object value = environment.get(placeholder.group(1));
                String resolved = value != null ? String.valueOf(value) : placeholder.group(2);
                if (resolved == null) {
                    throw new IllegalStateException(FILE + " refers to ${" + placeholder.group(1)
                            + "}, which has no default and is not in Keycloak's environment");
                }
                // The values land inside JSON strings.
                placeholder.appendReplacement(
                        text,
                        Matcher.quoteReplacement(resolved.replace("\\", "\\\\").replace("\"", "\\\"")));
            }
            placeholder.appendTail(text);
            return new KeycloakRealm(new ObjectMapper().readTree(text.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variables the realm file's placeholders name. */
    static Set<String> variables() {
        try {
            Matcher placeholder = PLACEHOLDER.matcher(Files.readString(FILE));
            Set<String> names = new TreeSet<>();
            while (placeholder.find()) {
                names.add(placeholder.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return json.path("realm").asText();
    }

    Set<String> roles() {
        Set<String> roles = new TreeSet<>();
        json.path("roles")
                .path("realm")
                .forEach(role -> roles.add(role.path("name").asText()));
        return roles;
    }

    Set<String> usernames() {
        Set<String> users = new TreeSet<>();
        json.path("users").forEach(user -> users.add(user.path("username").asText()));
        return users;
    }

    JsonNode client(String clientId) {
        return StreamSupport.stream(json.path("clients").spliterator(), false)
                .filter(client -> client.path("clientId").asText().equals(clientId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the realm has no client " + clientId));
    }

    List<String> redirectUris(String clientId) {
        List<String> uris = new ArrayList<>();
        client(clientId).path("redirectUris").forEach(uri -> uris.add(uri.asText()));
        return uris;
    }

    /**
     * The configuration of the client's mapper that puts the user's realm roles in a claim of their own
     * ({@code oidc-usermodel-realm-role-mapper}), if it has one.
     */
    Optional<JsonNode> realmRolesMapper(String clientId) {
        return StreamSupport.stream(client(clientId).path("protocolMappers").spliterator(), false)
                .filter(mapper -> mapper.path("protocolMapper").asText().equals("oidc-usermodel-realm-role-mapper"))
                .map(mapper -> mapper.path("config"))
                .findFirst();
    }
}
