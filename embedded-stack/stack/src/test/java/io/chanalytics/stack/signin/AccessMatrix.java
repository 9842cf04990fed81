package io.chanalytics.stack.signin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The access rules as a table: each route called by every kind of caller, the expected status next to the one
 * observed. Callers in a fixed order (anonymous, customer, other customer, admin), so that a route that changes state
 * succeeds last, after the refusals. The rows are the matrix: public catalog, health and docs; the customer's
 * own cart, orders and profile (another customer's order is a 404); admin for product writes, users and demo data.
 */
public final class AccessMatrix {

    /** Who calls; {@code user} null is anonymous. */
    public record Caller(String name, String user) {}

    /** A route and the status each caller must get, in {@link #callers} order. */
    public record Route(String method, URI uri, String json, int... expected) {}

    public record Cell(Route route, Caller caller, int expected, int observed) {
        boolean holds() {
            return expected == observed;
        }
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<Caller> callers;
    private final Map<String, String> tokens = new LinkedHashMap<>();

    public AccessMatrix(List<Caller> callers, RealmTokens realm) {
        this.callers = List.copyOf(callers);
        for (Caller caller : callers) {
            if (caller.user() != null) {
                tokens.put(caller.user(), realm.of(caller.user()));
            }
        }
    }

    public String token(Caller caller) {
        return tokens.get(caller.user());
    }

    public List<Cell> run(List<Route> routes) {
        List<Cell> cells = new ArrayList<>();
        for (Route route : routes) {
            for (int i = 0; i < callers.size(); i++) {
                Caller caller = callers.get(i);
                cells.add(new Cell(route, caller, route.expected()[i], call(route, caller)));
            }
        }
        return cells;
    }

    /** The observed table, one row per route, for the test's report and the closing note. */
    public String table(List<Cell> cells) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-44s", "route"));
        callers.forEach(caller -> out.append(String.format(Locale.ROOT, "%16s", caller.name())));
        out.append('\n');
        for (int i = 0; i < cells.size(); i += callers.size()) {
            Route route = cells.get(i).route();
            out.append(String.format(
                    Locale.ROOT, "%-44s", route.method() + " " + route.uri().getPath()));
            for (int j = i; j < i + callers.size(); j++) {
                Cell cell = cells.get(j);
                out.append(String.format(
                        Locale.ROOT,
                        "%16s",
                        cell.observed() + (cell.holds() ? "" : " (want " + cell.expected() + ")")));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private int call(Route route, Caller caller) {
        HttpRequest.Builder request = HttpRequest.newBuilder(route.uri()).timeout(Duration.ofSeconds(30));
        if (caller.user() != null) {
            request.header("Authorization", "Bearer " + tokens.get(caller.user()));
        }
        if (route.json() != null) {
            request.header("Content-Type", "application/json")
                    .method(route.method(), HttpRequest.BodyPublishers.ofString(route.json()));
        } else {
            request.method(route.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
