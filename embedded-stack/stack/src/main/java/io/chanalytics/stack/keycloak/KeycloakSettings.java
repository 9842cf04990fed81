package io.chanalytics.stack.keycloak;

import java.net.URI;

/**
 * Where the embedded stack's Keycloak listens and what it is given (the compose values from {@code .env}): its HTTP
 * port, its management port (health, metrics), the realm the APIs trust, the master realm's administrator and the
 * demo users' password, which Keycloak substitutes into the realm file when it imports it. {@code enabled} false
 * ({@code SIGN_IN=false}) leaves Keycloak out and the APIs open.
 */
public record KeycloakSettings(
        boolean enabled,
        int port,
        int managementPort,
        String realm,
        String adminUser,
        String adminPassword,
        String demoPassword,
        String apiClientSecret) {

    /**
     * The {@code iss} of every token: Keycloak's hostname is fixed to {@code localhost} and this port, as in compose,
     * so a token fetched by curl, the simulator or a browser carries the same issuer.
     */
    public URI issuer() {
        return URI.create("http://localhost:" + port + "/realms/" + realm);
    }

    /** Where the APIs fetch the realm's public keys. */
    public URI jwkSetUri() {
        return openIdConnect("certs");
    }

    /**
     * Where the APIs ask whether a token is still active (RFC 7662): its user may have been deleted or its session
     * ended since it was issued.
     */
    public URI introspectionEndpoint() {
        return openIdConnect("token/introspect");
    }

    public URI tokenEndpoint() {
        return openIdConnect("token");
    }

    private URI openIdConnect(String endpoint) {
        return URI.create(issuer() + "/protocol/openid-connect/" + endpoint);
    }

    /** Keycloak as this machine reaches it: the loopback address the stack binds it to. */
    public URI localBase() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public KeycloakSettings withEnabled(boolean on) {
        return new KeycloakSettings(
                on, port, managementPort, realm, adminUser, adminPassword, demoPassword, apiClientSecret);
    }

    /** The same Keycloak, on, on other ports (the realm template's one-off import runs beside a running stack). */
    public KeycloakSettings onPorts(int otherPort, int otherManagementPort) {
        return new KeycloakSettings(
                true, otherPort, otherManagementPort, realm, adminUser, adminPassword, demoPassword, apiClientSecret);
    }

    /** Answers 200 once the realm is imported and Keycloak serves it. */
    public URI readiness() {
        return URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    }

    /** Keycloak's Prometheus endpoint, scraped by the stack's Prometheus as the {@code keycloak} job. */
    public String metricsTarget() {
        return "127.0.0.1:" + managementPort;
    }
}
