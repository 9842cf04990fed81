package io.chanalytics.stack.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.stack.keycloak.PasswordGrant;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * How the checks talk to the stack: HTTP calls that never throw (a part that does not answer is status 0), the
 * scripted session's requests marked with a run id, and ClickHouse queries whose values travel as bound parameters
 * ({@code {name:Type}} in the SQL, {@code param_name} on the URL), never spliced into the text.
 */
final class StackHttp {

    /** How long ingestion may take before a row the session wrote counts as missing. */
    private static final Duration INGEST_DEADLINE = Duration.ofSeconds(90);

    private static final String REGION = "eu-west";

    /** The realm's demo users the session signs in as (keycloak/import/chanalytics-realm.json). */
    static final String CUSTOMER = "alice";

    static final String ADMIN = "admin";

    private final StackVerifier.Target target;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String runId = "stack-verifier/" + UUID.randomUUID();
    private final String sessionId = "verify-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    StackHttp(StackVerifier.Target target) {
        this.target = target;
    }

    StackVerifier.Target target() {
        return target;
    }

    /** The user agent of every request of the scripted session: how its rows are found again. */
    String runId() {
        return runId;
    }

    /** The session id of every request of the scripted session. */
    String sessionId() {
        return sessionId;
    }

    record Answer(int status, String body) {
        boolean ok() {
            return status == 200;
        }

        String text() {
            return body.strip();
        }

        String describe() {
            return status == 0 ? body : "HTTP " + status + (body.isBlank() ? "" : ": " + abbreviate(body.strip()));
        }
    }

    /** A statement on ClickHouse's HTTP interface as the admin user, each parameter bound by name. */
    Answer query(String sql, Map<String, String> parameters) {
        StringBuilder url = new StringBuilder("/?database=analytics");
        parameters.forEach((name, value) -> url.append("&param_")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send(HttpRequest.newBuilder(target.clickHouse().resolve(url.toString()))
                .header("Authorization", basic(target.clickHouseUser(), target.clickHousePassword()))
                .POST(HttpRequest.BodyPublishers.ofString(sql)));
    }

    Answer query(String sql) {
        return query(sql, Map.of());
    }

    /**
     * A request of the scripted session as the realm's customer {@value #CUSTOMER} (when the stack signs callers in):
     * marked with the run's user agent, session and region.
     */
    Answer call(String method, URI base, String path, String json) {
        return call(CUSTOMER, method, base, path, json);
    }

    /** The same, as the realm's {@value #ADMIN}: product writes and demo data need that role. */
    Answer callAsAdmin(String method, URI base, String path, String json) {
        return call(ADMIN, method, base, path, json);
    }

    private Answer call(String user, String method, URI base, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("User-Agent", runId)
                .header("X-Session-Id", sessionId)
                .header("X-Region", REGION);
        if (target.signIn().enabled()) {
            request.header("Authorization", "Bearer " + token(user));
        }
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request);
    }

    /**
     * An access token of one of the realm's demo users, by Keycloak's password grant on the command-line client;
     * kept for the run (a run is shorter than a token's five minutes). Fails with Keycloak's answer when refused.
     */
    String token(String user) {
        StackVerifier.SignIn signIn = target.signIn();
        return tokens.computeIfAbsent(
                user, name -> PasswordGrant.accessToken(signIn.base(), signIn.realm(), name, signIn.demoPassword()));
    }

    Answer get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach(request::header);
        return send(request);
    }

    Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, "not answering (" + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    static void expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected HTTP " + status + ", got " + answer.describe());
        }
    }

    /** Polls until the condition holds or ingestion's deadline passes; an exception counts as "not yet". */
    static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + INGEST_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                // Not there yet (a value still missing): keep polling until the deadline.
            }
        }
        return false;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    static JsonNode json(String text) {
        try {
            return Dashboards.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON: " + abbreviate(text), e);
        }
    }
}
