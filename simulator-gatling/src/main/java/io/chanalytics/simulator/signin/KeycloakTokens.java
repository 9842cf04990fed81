package io.chanalytics.simulator.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of the realm's demo users, from Keycloak's token endpoint (the password grant of the command-line
 * client, as scripts/token.sh), kept until shortly before they expire and then fetched again. One token per account
 * serves every virtual user that borrows it: a login costs Keycloak a password hash, which at one per session would
 * load it more than the APIs. The token endpoint's own latency is measured here and reported apart from the APIs'.
 */
public final class KeycloakTokens {

    /** A token this close to its expiry is fetched again, so none expires in flight. */
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, Instant refreshAt) {}

    private final URI tokenEndpoint;
    private final String password;
    private final Clock clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final List<Double> latenciesMillis = new ArrayList<>();

    public KeycloakTokens(URI tokenEndpoint, String password, Clock clock) {
        this.tokenEndpoint = tokenEndpoint;
        this.password = password;
        this.clock = clock;
    }

    /** {@code Bearer <token>} for {@code user}; fetched now if none is held or it is about to expire. */
    public String authorization(String user) {
        Token token = tokens.compute(
                user, (name, held) -> held != null && clock.instant().isBefore(held.refreshAt()) ? held : fetch(name));
        return "Bearer " + token.value();
    }

    private Token fetch(String user) {
        String form = "grant_type=password&client_id=chanalytics-cli&username="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak does not answer at " + tokenEndpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signing in", e);
        }
        synchronized (latenciesMillis) {
            latenciesMillis.add((System.nanoTime() - started) / 1_000_000.0);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException(String.format(
                    "Keycloak refused %s at %s: HTTP %d %s",
                    user, tokenEndpoint, response.statusCode(), response.body()));
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            Instant expires =
                    clock.instant().plusSeconds(body.path("expires_in").asLong());
            return new Token(body.path("access_token").asText(), expires.minus(REFRESH_BEFORE_EXPIRY));
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak's token answer is not JSON: " + response.body(), e);
        }
    }

    /** The token endpoint's requests and latency, for the run's summary. */
    public String report() {
        List<Double> sorted;
        synchronized (latenciesMillis) {
            sorted = latenciesMillis.stream().sorted().toList();
        }
        if (sorted.isEmpty()) {
            return "Keycloak token endpoint: no request";
        }
        double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format(
                Locale.ROOT,
                "Keycloak token endpoint (%s, apart from the APIs' figures): %d requests, mean %.1f ms, p95 %.1f ms,"
                        + " max %.1f ms",
                tokenEndpoint,
                sorted.size(),
                mean,
                sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1),
                sorted.getLast());
    }
}
