package io.chanalytics.api.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The OpenAPI document's sign-in: Keycloak's authorization-code flow (the UI's "Authorize" button, as the realm's
 * public {@code chanalytics-docs} client with PKCE, springdoc.swagger-ui.oauth in chanalytics-service.yml) and a
 * plain bearer token for callers that have one (scripts/token.sh), both accepted on every operation.
 */
final class SignInDocs {

    static final String KEYCLOAK = "keycloak";
    static final String BEARER = "bearer";

    private SignInDocs() {}

    static OpenApiCustomizer of(SignInProperties properties) {
        String realm = properties.issuer().toString();
        SecurityScheme keycloak = new SecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("Sign in with Keycloak (realm users: keycloak/README.md)")
                .flows(new OAuthFlows()
                        .authorizationCode(new OAuthFlow()
                                .authorizationUrl(realm + "/protocol/openid-connect/auth")
                                .tokenUrl(realm + "/protocol/openid-connect/token")
                                .scopes(new Scopes().addString("openid", "Sign in"))));
        SecurityScheme bearer = new SecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .bearerFormat("JWT")
                .description("An access token of the realm, e.g. from scripts/token.sh alice");
        return openApi -> {
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes(KEYCLOAK, keycloak).addSecuritySchemes(BEARER, bearer);
            openApi.addSecurityItem(new SecurityRequirement().addList(KEYCLOAK))
                    .addSecurityItem(new SecurityRequirement().addList(BEARER));
        };
    }
}
