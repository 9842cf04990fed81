package io.chanalytics.compose;

import static io.chanalytics.compose.SignInComposeTests.environment;
import static io.chanalytics.compose.SignInComposeTests.publishedHostPort;
import static io.chanalytics.compose.SignInComposeTests.services;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.compose.ComposeFile.Mount;
import io.chanalytics.stack.RepositoryLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * Kafka UI's sign-in as kafbat/kafka-ui v1.5.0 (KAFKA_UI_IMAGE), a Spring Boot application, will read it: the file
 * keycloak/kafka-ui.yml and the container's environment bound by Spring Boot's own binder (relaxed names, placeholders,
 * a key no field takes is an error) to the shape of kafbat's property classes, copied below from its sources. What it
 * binds to must then match the realm: the client, its secret and callback, the claim its roles come in, the role.
 */
class KafkaUiSignInTests {

    private static final String SIGN_IN_FILE = "./keycloak/kafka-ui.yml";

    /**
     * kafbat's {@code @ConfigurationProperties("auth.oauth2")}: api/src/main/java/io/kafbat/ui/config/auth/
     * OAuthProperties.java at v1.5.0, field for field (its resource server: Spring Boot's own properties, not used here).
     */
    record OAuthProperties(Map<String, OAuth2Provider> client, Map<String, Object> resourceServer) {}

    /** OAuthProperties.OAuth2Provider at v1.5.0. */
    record OAuth2Provider(
            String provider,
            String clientId,
            String clientSecret,
            String clientName,
            String redirectUri,
            String authorizationGrantType,
            Set<String> scope,
            String issuerUri,
            String authorizationUri,
            String tokenUri,
            String userInfoUri,
            String jwkSetUri,
            String userNameAttribute,
            Map<String, String> customParams) {}

    /** {@code @ConfigurationProperties("rbac")}: config/auth/RoleBasedAccessControlProperties.java at v1.5.0. */
    record RoleBasedAccessControlProperties(List<Role> roles, DefaultRole defaultRole) {}

    /** model/rbac/Role.java at v1.5.0. */
    record Role(String name, List<String> clusters, List<Subject> subjects, List<Permission> permissions) {}

    /** model/rbac/Subject.java at v1.5.0 (Lombok names the setter of its field isRegex setRegex). */
    record Subject(Provider provider, String type, String value, boolean regex) {}

    /** model/rbac/Permission.java at v1.5.0. */
    record Permission(String resource, List<String> actions, String value) {}

    /** model/rbac/DefaultRole.java at v1.5.0. */
    record DefaultRole(List<Permission> permissions) {}

    /** model/rbac/provider/Provider.java at v1.5.0. */
    enum Provider {
        OAUTH_GOOGLE,
        OAUTH_GITHUB,
        OAUTH_COGNITO,
        OAUTH,
        LDAP,
        LDAP_AD
    }

    /** model/rbac/Resource.java at v1.5.0: Permission.setResource upper-cases the name and looks it up here. */
    enum Resource {
        APPLICATIONCONFIG,
        CLUSTERCONFIG,
        TOPIC,
        CONSUMER,
        SCHEMA,
        CONNECT,
        CONNECTOR,
        KSQL,
        ACL,
        AUDIT,
        CLIENT_QUOTAS
    }

    /**
     * Spring Boot reads spring.config.additional-location from the environment variable compose sets, and compose
     * mounts the repository's file there, read-only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void kafkaUiIsToldToReadTheSignInFile(String file) {
        Map<String, Object> kafkaUi = services(file).get("kafka-ui");
        Binder binder = new Binder(ConfigurationPropertySources.from(List.of(containerEnvironment(kafkaUi))));
        String location = binder.bind("spring.config.additional-location", String.class)
                .orElseThrow(() -> new AssertionError("Kafka UI is told no additional configuration"));
        assertThat(location).startsWith("file:");
        assertThat(ComposeFile.mountsOf(kafkaUi))
                .contains(new Mount(SIGN_IN_FILE, location.substring("file:".length()), true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void kafkaUiSignsInWithTheRealmsKafkaUiClient(String file) throws IOException {
        Map<String, Map<String, Object>> services = services(file);
        Map<String, Object> kafkaUi = services.get("kafka-ui");
        Map<String, Object> keycloak = environment(services.get("keycloak"));
        KeycloakRealm realm = KeycloakRealm.importedWith(keycloak);
        Binder binder = binderOf(kafkaUi);

        assertThat(binder.bind("auth.type", String.class).orElse("DISABLED")).isEqualTo("OAUTH2");
        OAuthProperties oauth = binder.bind(
                        "auth.oauth2",
                        Bindable.of(OAuthProperties.class),
                        new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();
        assertThat(oauth.client()).hasSize(1);
        String registration = oauth.client().keySet().iterator().next();
        OAuth2Provider provider = oauth.client().get(registration);
        assertThat(provider.toString()).doesNotContain("${");
        // OAuthProperties.validateProvider; Spring Security's authorization code login.
        assertThat(provider.provider()).isNotBlank();
        assertThat(provider.authorizationGrantType()).isEqualTo("authorization_code");
        assertThat(provider.scope()).contains("openid");

        JsonNode client = realm.client(provider.clientId());
        assertThat(client.path("publicClient").asBoolean()).isFalse();
        assertThat(client.path("standardFlowEnabled").asBoolean()).isTrue();
        assertThat(provider.clientSecret()).isEqualTo(client.path("secret").asText());
        // Spring Security's callback for the registration, on the address the browser uses.
        String callback =
                "http://localhost:" + publishedHostPort(kafkaUi, "8080") + "/login/oauth2/code/" + registration;
        assertThat(provider.redirectUri()).isEqualTo(callback);
        assertThat(realm.redirectUris(provider.clientId())).contains(callback);

        // No issuer-uri: Spring Boot would fetch the discovery document from it at start (keycloak/README.md).
        assertThat(provider.issuerUri()).isNull();
        String issuer = keycloak.get("KC_HOSTNAME") + "/realms/" + realm.name();
        String onTheNetwork = "http://keycloak:8080/realms/" + realm.name() + "/protocol/openid-connect";
        assertThat(provider.authorizationUri()).isEqualTo(issuer + "/protocol/openid-connect/auth");
        assertThat(provider.tokenUri()).isEqualTo(onTheNetwork + "/token");
        assertThat(provider.userInfoUri()).isEqualTo(onTheNetwork + "/userinfo");
        assertThat(provider.jwkSetUri()).isEqualTo(onTheNetwork + "/certs");
        assertThat(provider.userNameAttribute()).isEqualTo("preferred_username");

        // kafbat's OauthAuthorityExtractor (type oauth) reads the roles from the user's attributes: the ID token's
        // claims and the user info's.
        JsonNode roles = realm.realmRolesMapper(provider.clientId())
                .orElseThrow(() -> new AssertionError("the kafka-ui client maps no realm roles into a claim"));
        assertThat(roles.path("id.token.claim").asText()).isEqualTo("true");
        assertThat(roles.path("multivalued").asText()).isEqualTo("true");
        assertThat(provider.customParams())
                .containsEntry("type", "oauth")
                .containsEntry("roles-field", roles.path("claim.name").asText());

        RoleBasedAccessControlProperties rbac = binder.bind(
                        "rbac",
                        Bindable.of(RoleBasedAccessControlProperties.class),
                        new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();
        assertThat(rbac.defaultRole()).as("anyone without a role gets nothing").isNull();
        assertThat(rbac.roles()).isNotEmpty();
        Set<String> resources =
                Arrays.stream(Resource.values()).map(Resource::name).collect(Collectors.toSet());
        for (Role role : rbac.roles()) {
            assertThat(role.clusters())
                    .as(role.name())
                    .containsExactly(String.valueOf(environment(kafkaUi).get("KAFKA_CLUSTERS_0_NAME")));
            for (Subject subject : role.subjects()) {
                assertThat(subject.provider()).as(role.name()).isEqualTo(Provider.OAUTH);
                assertThat(subject.type()).as(role.name()).isEqualTo("role");
                assertThat(realm.roles()).as(role.name()).contains(subject.value());
            }
            for (Permission permission : role.permissions()) {
                assertThat(resources)
                        .as(role.name())
                        .contains(permission.resource().toUpperCase());
                assertThat(permission.actions()).as(permission.resource()).isNotEmpty();
            }
        }
        List<String> admitted = new ArrayList<>();
        rbac.roles().forEach(role -> role.subjects().forEach(subject -> admitted.add(subject.value())));
        assertThat(admitted).as("the realm roles Kafka UI lets in").containsExactly("admin");
    }

    /**
     * The container's Spring environment, as far as the sign-in goes: its environment variables (Spring Boot's system
     * environment source, with its relaxed names) over the sign-in file, placeholders resolved from both.
     */
    private static Binder binderOf(Map<String, Object> kafkaUi) throws IOException {
        List<PropertySource<?>> sources = new ArrayList<>();
        sources.add(containerEnvironment(kafkaUi));
        sources.addAll(new YamlPropertySourceLoader()
                .load(
                        SIGN_IN_FILE,
                        new FileSystemResource(RepositoryLayout.root().resolve(SIGN_IN_FILE))));
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
    }

    private static SystemEnvironmentPropertySource containerEnvironment(Map<String, Object> service) {
        return new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment(service));
    }
}
