package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.chanalytics.compose.ComposeFile.Mount;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sign-in in both compose files, held to what the tools read: Keycloak 26.7's own options and the realm it imports
 * (placeholders resolved from the container's environment), Grafana 12.1's generic OAuth keys, and the issuer, redirect
 * addresses and secrets each side expects of the other. A mismatch here is a sign-in that fails in the browser, or an
 * API that refuses every token; Kafka UI's side is {@link KafkaUiSignInTests}.
 */
class SignInComposeTests {

    private static final Path ROOT = RepositoryLayout.root();
    private static final Map<String, String> DOT_ENV =
            StackEnvironment.defaults(ROOT).all();
    private static final String KEYCLOAK_IMPORT = "/opt/keycloak/data/import";
    private static final Pattern PORT_MAPPING = Pattern.compile("([^:]+):(\\d+):(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void keycloakImportsTheRepositorysRealmAndPublishesOnTheBindAddressOnly(String file) {
        Map<String, Object> keycloak = services(file).get("keycloak");
        assertThat(keycloak.get("image")).isEqualTo(DOT_ENV.get("KEYCLOAK_IMAGE"));
        assertThat(keycloak.get("command")).isEqualTo(List.of("start-dev", "--import-realm"));
        assertThat(ComposeFile.mountsOf(keycloak))
                .containsExactly(new Mount("./keycloak/import", KEYCLOAK_IMPORT, true));
        // Keycloak imports <realm>-realm.json files from that folder (its import and export guide).
        assertThat(KeycloakRealm.FILE.getFileName())
                .hasToString(KeycloakRealm.importedWith(environment(keycloak)).name() + "-realm.json");
        assertThat(publishedPorts(keycloak))
                .containsExactly(DOT_ENV.get("BIND_ADDRESS") + ":" + DOT_ENV.get("KEYCLOAK_PORT") + ":8080");
        assertThat(keycloak.get("mem_limit")).isEqualTo(DOT_ENV.get("KEYCLOAK_MEMORY"));
    }

    /**
     * Keycloak reads an option {@code a-b} from {@code KC_A_B}; a misspelt variable is ignored without a word. The list
     * is Keycloak's own help of the release compose runs, and the embedded stack runs the same release.
     */
    @Test
    void everyKeycloakVariableIsAnOptionOfTheReleaseBothStacksRun() throws IOException {
        String release = DOT_ENV.get("KEYCLOAK_IMAGE").replaceFirst("^keycloak/keycloak:", "");
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<keycloak.version>" + release + "<");
        Set<String> options = lines("keycloak/keycloak-" + release + "-options.txt");
        assertThat(options).contains("hostname", "health-enabled", "bootstrap-admin-password");
        Set<String> variables = environment(services("docker-compose.yml").get("keycloak")).keySet().stream()
                .filter(name -> name.startsWith("KC_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(variables).isNotEmpty();
        for (String variable : variables) {
            String option = variable.substring(3).toLowerCase(Locale.ROOT).replace('_', '-');
            assertThat(options).as(variable).contains(option);
        }
        assertThat(options).contains("import-realm");
    }

    /** The realm file's placeholders are all passed in, so no default of the realm file overrides .env's value. */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void keycloakIsGivenEveryVariableTheRealmFileReads(String file) {
        Map<String, Object> environment = environment(services(file).get("keycloak"));
        for (String variable : KeycloakRealm.variables()) {
            assertThat(environment).as("Keycloak's %s", variable).containsEntry(variable, DOT_ENV.get(variable));
        }
    }

    /**
     * A token carries the issuer Keycloak derives from its fixed hostname, whoever asked for it; the APIs reject a
     * token whose issuer is not the one they are told. Their keys come from Keycloak on the network.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void theApisExpectTheIssuerKeycloakPutsInItsTokens(String file) {
        Map<String, Map<String, Object>> services = services(file);
        Map<String, Object> keycloak = environment(services.get("keycloak"));
        KeycloakRealm realm = KeycloakRealm.importedWith(keycloak);
        assertThat(realm.name()).isEqualTo(DOT_ENV.get("KEYCLOAK_REALM"));
        URI hostname = URI.create(String.valueOf(keycloak.get("KC_HOSTNAME")));
        // hostname-backchannel-dynamic needs the hostname as a full URL (Keycloak's help); the browser's address.
        assertThat(keycloak).containsEntry("KC_HOSTNAME_BACKCHANNEL_DYNAMIC", "true");
        assertThat(hostname.getScheme()).isEqualTo("http");
        assertThat(hostname.getHost()).isEqualTo("localhost");
        assertThat(hostname.getPort()).isEqualTo(Integer.parseInt(publishedHostPort(services.get("keycloak"), "8080")));
        String issuer = hostname + "/realms/" + realm.name();

        // Keycloak answers introspection only to a confidential client that proves itself with the secret it imported;
        // the APIs ask as chanalytics-api (their audience), so they must hold that client's secret as Keycloak has it.
        JsonNode apiClient = realm.client("chanalytics-api");
        assertThat(apiClient.path("publicClient").asBoolean(true))
                .as("chanalytics-api is confidential")
                .isFalse();
        String apiSecret = apiClient.path("secret").asText();
        assertThat(apiSecret).isNotBlank();

        List<String> apis = new ArrayList<>();
        services.forEach((name, service) -> {
            if (String.valueOf(service.get("image")).matches("chanalytics/(crud|ecommerce)-api:local")) {
                Map<String, Object> environment = environment(service);
                assertThat(environment)
                        .as(name)
                        .containsEntry("CHANALYTICS_AUTH_ENABLED", DOT_ENV.get("SIGN_IN"))
                        .containsEntry("KEYCLOAK_ISSUER_URI", issuer)
                        .containsEntry("KEYCLOAK_JWK_SET_URI", onTheNetwork(realm) + "/certs")
                        .containsEntry("KEYCLOAK_INTROSPECTION_URI", onTheNetwork(realm) + "/token/introspect")
                        .containsEntry("API_OAUTH_CLIENT_SECRET", apiSecret);
                assertThat(dependencies(service)).as(name).containsKey("keycloak");
                apis.add(name);
            }
        });
        assertThat(apis).hasSize(file.contains("cluster") ? 4 : 2);
    }

    /**
     * The healthcheck runs in an image without curl or wget: run here by bash with nothing on its PATH, against a
     * server on the management port's place, it passes on 200 and fails on 503 and on a closed port.
     */
    @Test
    void keycloaksHealthcheckNeedsNothingButBash(@TempDir Path emptyPath) throws Exception {
        Map<String, Object> keycloak = services("docker-compose.yml").get("keycloak");
        @SuppressWarnings("unchecked")
        List<String> test = (List<String>) ((Map<String, Object>) keycloak.get("healthcheck")).get("test");
        assertThat(test.subList(0, 3)).containsExactly("CMD", "bash", "-c");
        String managementPort = String.valueOf(environment(keycloak).get("KC_HTTP_MANAGEMENT_PORT"));
        String target = "/dev/tcp/127.0.0.1/" + managementPort;
        assertThat(test.get(3)).contains(target, "/health/ready");

        AtomicInteger status = new AtomicInteger(200);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        String command = test.get(3).replace(target, "/dev/tcp/127.0.0.1/" + port);
        try {
            assertThat(bash(command, emptyPath)).as("ready").isZero();
            status.set(503);
            assertThat(bash(command, emptyPath)).as("not ready").isNotZero();
        } finally {
            server.stop(0);
        }
        assertThat(bash(command, emptyPath)).as("nothing listening").isNotZero();
    }

    /**
     * Grafana applies a GF_ variable only to a key its defaults.ini has: any other is ignored without a word. The list
     * is taken from Grafana's sources (the resource names them).
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void grafanaReadsEveryGenericOAuthVariableItIsGiven(String file) throws IOException {
        Set<String> keys = lines("grafana/grafana-12.1-generic-oauth-keys.txt");
        assertThat(DOT_ENV.get("GRAFANA_IMAGE")).isEqualTo("grafana/grafana:12.1.1");
        Set<String> given = new TreeSet<>();
        environment(services(file).get("grafana")).keySet().forEach(name -> {
            if (name.startsWith("GF_AUTH_GENERIC_OAUTH_")) {
                given.add(name.substring("GF_AUTH_GENERIC_OAUTH_".length()).toLowerCase(Locale.ROOT));
            }
        });
        assertThat(given).contains("enabled", "client_id", "role_attribute_path");
        assertThat(keys).containsAll(given);
    }

    /**
     * Grafana signs in with the realm's grafana client: the same id and secret, a callback the client registers (built
     * from Grafana's root URL, the address the browser uses), PKCE where the client demands it; the browser goes to the
     * issuer's address, Grafana itself to Keycloak on the network. Its role mapping reads a claim the client's mapper
     * puts in the ID token and the user info (Grafana evaluates the ID token first, then the user info), for a role the
     * realm has.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void grafanaSignsInWithTheRealmsGrafanaClient(String file) {
        Map<String, Map<String, Object>> services = services(file);
        Map<String, Object> keycloak = environment(services.get("keycloak"));
        KeycloakRealm realm = KeycloakRealm.importedWith(keycloak);
        Map<String, Object> grafana = environment(services.get("grafana"));
        String clientId = String.valueOf(grafana.get("GF_AUTH_GENERIC_OAUTH_CLIENT_ID"));
        JsonNode client = realm.client(clientId);
        assertThat(client.path("publicClient").asBoolean()).isFalse();
        assertThat(client.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(grafana.get("GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET"))
                .isEqualTo(client.path("secret").asText());

        String rootUrl = String.valueOf(grafana.get("GF_SERVER_ROOT_URL"));
        assertThat(rootUrl).isEqualTo("http://localhost:" + publishedHostPort(services.get("grafana"), "3000") + "/");
        assertThat(realm.redirectUris(clientId)).contains(rootUrl + "login/generic_oauth");
        if (client.path("attributes")
                .path("pkce.code.challenge.method")
                .asText()
                .equals("S256")) {
            assertThat(grafana).containsEntry("GF_AUTH_GENERIC_OAUTH_USE_PKCE", "true");
        }

        String issuer = keycloak.get("KC_HOSTNAME") + "/realms/" + realm.name();
        assertThat(grafana)
                .containsEntry("GF_AUTH_GENERIC_OAUTH_ENABLED", "true")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_AUTH_URL", issuer + "/protocol/openid-connect/auth")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_TOKEN_URL", onTheNetwork(realm) + "/token")
                .containsEntry("GF_AUTH_GENERIC_OAUTH_API_URL", onTheNetwork(realm) + "/userinfo");
        assertThat(String.valueOf(grafana.get("GF_AUTH_GENERIC_OAUTH_SCOPES")).split(" "))
                .contains("openid");

        JsonNode roles = realm.realmRolesMapper(clientId)
                .orElseThrow(() -> new AssertionError("the grafana client maps no realm roles into a claim"));
        assertThat(roles.path("id.token.claim").asText()).isEqualTo("true");
        assertThat(roles.path("userinfo.token.claim").asText()).isEqualTo("true");
        assertThat(roles.path("multivalued").asText()).isEqualTo("true");
        String claim = roles.path("claim.name").asText();
        String mapping = String.valueOf(grafana.get("GF_AUTH_GENERIC_OAUTH_ROLE_ATTRIBUTE_PATH"));
        Matcher role = Pattern.compile("contains\\((\\w+)\\[\\*], '(\\w+)'\\) && 'Admin' \\|\\| 'Viewer'")
                .matcher(mapping);
        assertThat(role.matches()).as(mapping).isTrue();
        assertThat(role.group(1)).isEqualTo(claim);
        assertThat(realm.roles()).contains(role.group(2));

        // Signing out goes through Keycloak's logout and back to a page the client lets it return to.
        URI signOut = URI.create(String.valueOf(grafana.get("GF_AUTH_GENERIC_OAUTH_SIGNOUT_REDIRECT_URL")));
        assertThat(signOut.toString()).startsWith(issuer + "/protocol/openid-connect/logout?");
        Map<String, String> query = query(signOut);
        assertThat(query).containsEntry("client_id", clientId);
        assertThat(client.path("attributes")
                        .path("post.logout.redirect.uris")
                        .asText()
                        .split("##"))
                .contains(query.get("post_logout_redirect_uri"));
    }

    /**
     * The local admin keeps signing in with the form, and realm users never land on its account: Grafana names them by
     * their email, since the realm has a user named like the local admin, and no realm user has its email (Grafana's
     * default admin_email, admin@localhost, as GF_SECURITY_ADMIN_EMAIL is not set).
     */
    @Test
    void grafanasLocalAdminKeepsSigningIn() {
        Map<String, Object> grafana = environment(services("docker-compose.yml").get("grafana"));
        assertThat(grafana)
                .containsEntry("GF_SECURITY_ADMIN_USER", DOT_ENV.get("GRAFANA_ADMIN_USER"))
                .doesNotContainKeys(
                        "GF_AUTH_DISABLE_LOGIN_FORM",
                        "GF_AUTH_OAUTH_AUTO_LOGIN",
                        "GF_AUTH_GENERIC_OAUTH_AUTO_LOGIN",
                        "GF_AUTH_BASIC_ENABLED",
                        "GF_SECURITY_ADMIN_EMAIL");
        KeycloakRealm realm = KeycloakRealm.importedWith(Map.of());
        assertThat(realm.usernames()).contains(DOT_ENV.get("GRAFANA_ADMIN_USER"));
        assertThat(grafana).containsEntry("GF_AUTH_GENERIC_OAUTH_LOGIN_ATTRIBUTE_PATH", "email");
        List<String> emails = new ArrayList<>();
        realm.json().path("users").forEach(user -> emails.add(user.path("email").asText()));
        assertThat(emails).doesNotContain("admin@localhost").doesNotContain("");
    }

    private static String onTheNetwork(KeycloakRealm realm) {
        return "http://keycloak:8080/realms/" + realm.name() + "/protocol/openid-connect";
    }

    private static int bash(String command, Path emptyPath) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true);
        builder.environment().clear();
        // No curl, wget or grep to be found: only bash's builtins work.
        builder.environment().put("PATH", emptyPath.toString());
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    static Map<String, Map<String, Object>> services(String file) {
        return ComposeFile.servicesOf(ComposeFile.load(file));
    }

    /** A service's environment, each value as the container sees it (a string). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> environment(Map<String, Object> service) {
        Map<String, Object> environment = new TreeMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((name, value) -> environment.put(name, value == null ? "" : String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependencies(Map<String, Object> service) {
        return (Map<String, Object>) service.getOrDefault("depends_on", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> publishedPorts(Map<String, Object> service) {
        return (List<String>) service.getOrDefault("ports", List.of());
    }

    /** The host port a service publishes its container port on. */
    static String publishedHostPort(Map<String, Object> service, String containerPort) {
        for (String mapping : publishedPorts(service)) {
            Matcher parts = PORT_MAPPING.matcher(mapping);
            if (parts.matches() && parts.group(3).equals(containerPort)) {
                return parts.group(2);
            }
        }
        throw new AssertionError(
                "publishes nothing on container port " + containerPort + ": " + publishedPorts(service));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new TreeMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.put(
                    URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** A test resource's lines, comments and blank lines left out. */
    static Set<String> lines(String resource) throws IOException {
        try (InputStream in = SignInComposeTests.class.getResourceAsStream("/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
