package io.chanalytics.api.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.HEAD;
import static org.springframework.http.HttpMethod.OPTIONS;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;

/**
 * Who may call what, for both services in one place (their routes do not overlap), as the access matrix test states
 * it. Public: the catalog, health and metrics, the OpenAPI documents and UI. A {@code customer} reaches the shop
 * (cart, checkout, orders: always their own, found by the token's subject, so another user's order is a 404) and
 * their own profile ({@code /users/me}); an {@code admin} runs the shop: product writes, the user directory, demo
 * data. Anything not listed needs a signed-in caller, so a new route is closed until it is placed here.
 */
public final class AccessRules {

    public static final String CUSTOMER = "customer";
    public static final String ADMIN = "admin";

    private AccessRules() {}

    public static void apply(AuthorizeExchangeSpec exchanges) {
        exchanges
                // CORS preflights carry no credentials by definition.
                .pathMatchers(OPTIONS, "/**")
                .permitAll()
                .pathMatchers(GET, "/products", "/products/**")
                .permitAll()
                .pathMatchers(HEAD, "/products", "/products/**")
                .permitAll()
                .pathMatchers("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                .permitAll()
                .pathMatchers("/docs", "/docs/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui/**", "/webjars/**")
                .permitAll()
                .pathMatchers(POST, "/products", "/products/**")
                .hasRole(ADMIN)
                .pathMatchers(PUT, "/products/**")
                .hasRole(ADMIN)
                .pathMatchers(PATCH, "/products/**")
                .hasRole(ADMIN)
                .pathMatchers(DELETE, "/products/**")
                .hasRole(ADMIN)
                .pathMatchers(GET, "/users/me")
                .authenticated()
                .pathMatchers("/users", "/users/**")
                .hasRole(ADMIN)
                .pathMatchers("/demo/**")
                .hasRole(ADMIN)
                .pathMatchers("/cart", "/cart/**", "/checkout", "/checkout/**", "/orders", "/orders/**")
                .hasRole(CUSTOMER)
                .pathMatchers("/actuator/**")
                .hasRole(ADMIN)
                .anyExchange()
                .authenticated();
    }
}
