package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.stack.RepositoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * CHANALYTICS_PRODUCTION=true in .env: compose refuses to start while a credential is weak. The preflight job's own
 * script (as compose hands it to the container's shell, after interpolation) runs here with POSIX sh on the values
 * compose would give it; and everything that keeps data waits for that job to succeed.
 */
class ProductionSwitchTests {

    private static final List<String> CREDENTIALS = List.of(
            "POSTGRES_PASSWORD",
            "CLICKHOUSE_ADMIN_PASSWORD",
            "CLICKHOUSE_GRAFANA_PASSWORD",
            "GRAFANA_ADMIN_PASSWORD",
            "CLICKHOUSE_CLUSTER_SECRET",
            "KEYCLOAK_ADMIN_PASSWORD",
            "KEYCLOAK_DEMO_PASSWORD",
            "GRAFANA_OAUTH_CLIENT_SECRET",
            "KAFKA_UI_OAUTH_CLIENT_SECRET",
            "API_OAUTH_CLIENT_SECRET");

    @Test
    void theDefaultsPassInDevelopmentAndAreAllRefusedInProduction() throws Exception {
        Map<String, String> environment = preflightEnvironment();
        assertThat(environment).containsEntry("CHANALYTICS_PRODUCTION", "false");

        assertThat(runPreflight(environment).exitCode()).isZero();

        environment.put("CHANALYTICS_PRODUCTION", "true");
        Result refused = runPreflight(environment);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains(CREDENTIALS);
    }

    @Test
    void strongCredentialsStartAndEachWeakOneIsNamed() throws Exception {
        Map<String, String> environment = preflightEnvironment();
        environment.put("CHANALYTICS_PRODUCTION", "true");
        CREDENTIALS.forEach(name -> environment.put(name, "correct-horse-" + name.length() + "-battery"));
        assertThat(runPreflight(environment).exitCode()).isZero();

        environment.put("POSTGRES_PASSWORD", "short");
        environment.put("GRAFANA_ADMIN_PASSWORD", environment.get("GRAFANA_ADMIN_USER"));
        Result refused = runPreflight(environment);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("POSTGRES_PASSWORD").doesNotContain("CLICKHOUSE_ADMIN_PASSWORD");
        environment.put("GRAFANA_ADMIN_USER", "a-very-long-admin-name");
        environment.put("GRAFANA_ADMIN_PASSWORD", "a-very-long-admin-name");
        assertThat(runPreflight(environment).output())
                .as("a password equal to its user")
                .contains("GRAFANA_ADMIN_PASSWORD");
    }

    /**
     * The names the sign-in's secrets are compared with are the realm's (keycloak/import): its admin demo user, and the
     * OAuth clients Grafana and Kafka UI sign in with (a secret equal to its client id is as weak as a password equal to
     * its user's name, and is what .env's defaults are).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theSignInSecretsAreComparedWithTheRealmsNames() throws Exception {
        Map<String, String> environment = preflightEnvironment();
        KeycloakRealm realm = KeycloakRealm.importedWith(Map.of());
        assertThat(realm.usernames()).contains(environment.get("DEMO_USER"));
        Map<String, Object> grafana = SignInComposeTests.environment(
                SignInComposeTests.services("docker-compose.yml").get("grafana"));
        assertThat(grafana).containsEntry("GF_AUTH_GENERIC_OAUTH_CLIENT_ID", environment.get("GRAFANA_CLIENT"));
        Map<String, Object> signIn;
        try (var in = Files.newInputStream(RepositoryLayout.root().resolve("keycloak/kafka-ui.yml"))) {
            signIn = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> clients = (Map<String, Map<String, Object>>)
                ((Map<String, Object>) ((Map<String, Object>) signIn.get("auth")).get("oauth2")).get("client");
        assertThat(clients.values())
                .extracting(client -> client.get("client-id"))
                .containsExactly(environment.get("KAFKA_UI_CLIENT"));
        for (String client : List.of(environment.get("GRAFANA_CLIENT"), environment.get("KAFKA_UI_CLIENT"))) {
            assertThat(realm.client(client).path("publicClient").asBoolean())
                    .as(client)
                    .isFalse();
        }
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void everythingThatKeepsDataWaitsForThePreflight(String file) {
        Map<String, Map<String, Object>> services = ComposeFile.servicesOf(ComposeFile.load(file));
        assertThat(services).containsKey("preflight");
        assertThat(services.get("preflight")).containsEntry("restart", "no");
        services.forEach((name, service) -> {
            boolean keepsData = name.matches("kafka(-\\d)?|postgres|clickhouse|clickhouse-keeper-\\d|keycloak");
            if (keepsData) {
                Map<String, Object> dependencies = (Map<String, Object>) service.get("depends_on");
                assertThat(dependencies).as(name).containsKey("preflight");
                assertThat((Map<String, Object>) dependencies.get("preflight"))
                        .as(name)
                        .containsEntry("condition", "service_completed_successfully");
            }
        });
    }

    private record Result(int exitCode, String output) {}

    @SuppressWarnings("unchecked")
    private static Map<String, String> preflightEnvironment() {
        Map<String, Object> preflight =
                ComposeFile.servicesOf(ComposeFile.load("docker-compose.yml")).get("preflight");
        Map<String, String> environment = new HashMap<>();
        ((Map<String, Object>) preflight.get("environment"))
                .forEach((name, value) -> environment.put(name, String.valueOf(value)));
        return environment;
    }

    @SuppressWarnings("unchecked")
    private static Result runPreflight(Map<String, String> environment) throws Exception {
        Map<String, Object> preflight =
                ComposeFile.servicesOf(ComposeFile.load("docker-compose.yml")).get("preflight");
        List<String> entrypoint = (List<String>) preflight.get("entrypoint");
        String script = ((List<String>) preflight.get("command")).getFirst();
        assertThat(entrypoint).containsExactly("/bin/sh", "-c");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
