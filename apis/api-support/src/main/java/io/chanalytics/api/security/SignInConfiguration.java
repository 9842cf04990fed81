package io.chanalytics.api.security;

import io.chanalytics.api.problem.ProblemResponses;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;

/**
 * Sign-in ({@code chanalytics.auth.enabled}, on unless {@code CHANALYTICS_AUTH_ENABLED=false}): every request is
 * checked against {@link AccessRules} with a Keycloak access token, checked by Spring Security's resource server
 * ({@link TokenDecoder}: the realm's keys, its issuer, the {@code chanalytics-api} audience, expiry). Off, the services are open and trust {@code X-User-Id}: for local
 * experiments, said loudly at start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SignInProperties.class)
// Explicit, not left to Boot's auto-configuration: the chains below need ServerHttpSecurity in test slices too.
@EnableWebFluxSecurity
public class SignInConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SignInConfiguration.class);

    private static ServerHttpSecurity stateless(ServerHttpSecurity http) {
        // Bearer tokens only: no session, no login form, no cookie that a cross-site request could ride on (so no
        // CSRF token either).
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chanalytics.auth.enabled", matchIfMissing = true)
    static class SignedIn {

        @Bean
        SecurityWebFilterChain signedInChain(
                ServerHttpSecurity http, ProblemResponses problems, SignInProperties properties) {
            log.info(
                    "Sign-in is on: tokens of {} for audience {}, keys from {} (access rules: AccessRules)",
                    properties.issuer(),
                    properties.audience(),
                    properties.jwkSetUri());
            SecurityProblems refusals = new SecurityProblems(problems);
            return stateless(http)
                    .authorizeExchange(AccessRules::apply)
                    .oauth2ResourceServer(server -> server.jwt(
                                    jwt -> jwt.jwtAuthenticationConverter(KeycloakRoles.authenticationConverter()))
                            .authenticationEntryPoint(refusals)
                            .accessDeniedHandler(refusals)
                            .authenticationFailureHandler(refusals))
                    .exceptionHandling(handling ->
                            handling.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                    .addFilterAfter(new SignedInCaller(), SecurityWebFiltersOrder.AUTHENTICATION)
                    .build();
        }

        @Bean
        ReactiveJwtDecoder jwtDecoder(SignInProperties properties, MeterRegistry meters) {
            return TokenDecoder.of(properties, meters);
        }

        @Bean
        @ConditionalOnClass(OpenApiCustomizer.class)
        OpenApiCustomizer signInDocs(SignInProperties properties) {
            return SignInDocs.of(properties);
        }

        @Bean
        UnprovenCaller unprovenCaller() {
            return new UnprovenCaller();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "chanalytics.auth.enabled", havingValue = "false")
    static class Open {

        @Bean
        SecurityWebFilterChain openChain(ServerHttpSecurity http) {
            log.warn("Sign-in is OFF (CHANALYTICS_AUTH_ENABLED=false): every route is open and X-User-Id names the"
                    + " caller unchecked; for local experiments only");
            return stateless(http)
                    .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                    .build();
        }
    }
}
