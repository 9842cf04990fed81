package io.chanalytics.simulator.signin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * How the simulator signs in when the APIs ask for it: each visitor borrows one of the realm's customer accounts for
 * its session (like {@code UserPool}, so that two concurrent sessions rarely share a cart), admin routes go with the
 * realm's admin's token, and tokens come from {@link KeycloakTokens}. Whether the APIs sign callers in is asked of
 * them, not configured: an anonymous call to the user list is refused with 401 when they do.
 */
public final class SignIn {

    /** The realm's demo customers (keycloak/import/chanalytics-realm.json). */
    static final List<String> CUSTOMERS = IntStream.rangeClosed(1, 50)
            .mapToObj(i -> String.format("shopper-%02d", i))
            .toList();

    static final String ADMIN = "admin";

    private final KeycloakTokens tokens;
    private final ConcurrentLinkedQueue<String> idle = new ConcurrentLinkedQueue<>(CUSTOMERS);

    SignIn(KeycloakTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * Sign-in for APIs at {@code crudBaseUrl}, or empty when they are open (sign-in off). {@code keycloak} is
     * Keycloak's address as the simulator reaches it, {@code realm} and {@code password} the realm's and its demo users'.
     */
    public static Optional<SignIn> ifRequired(String crudBaseUrl, URI keycloak, String realm, String password) {
        if (!required(URI.create(crudBaseUrl + "/users?size=1"))) {
            return Optional.empty();
        }
        URI tokenEndpoint = keycloak.resolve("/realms/" + realm + "/protocol/openid-connect/token");
        return Optional.of(new SignIn(new KeycloakTokens(tokenEndpoint, password, Clock.systemUTC())));
    }

    private static boolean required(URI protectedRoute) {
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(
                                    HttpRequest.newBuilder(protectedRoute)
                                            .timeout(Duration.ofSeconds(10))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 401;
        } catch (IOException e) {
            // The base URL probe has already checked that the API answers; failing here, it cannot be asking.
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A customer account for one session; when every one is busy, a random one is shared. */
    public String lease() {
        String account = idle.poll();
        return account != null
                ? account
                : CUSTOMERS.get(ThreadLocalRandom.current().nextInt(CUSTOMERS.size()));
    }

    public void release(String account) {
        if (!idle.contains(account)) {
            idle.add(account);
        }
    }

    /** The realm admin's {@code Authorization}, for the demo data the load needs before it starts. */
    public String adminAuthorization() {
        return tokens.authorization(ADMIN);
    }

    /** {@code Authorization} for a request of {@code account}'s session; {@code admin} routes as the realm's admin. */
    public String authorization(String account, boolean admin) {
        return tokens.authorization(admin ? ADMIN : account);
    }

    public String report() {
        return tokens.report();
    }
}
