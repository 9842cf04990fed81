package io.chanalytics.stack.verify;

import static io.chanalytics.stack.verify.StackHttp.basic;
import static io.chanalytics.stack.verify.StackHttp.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.grafana.Dashboards;
import io.chanalytics.grafana.GrafanaMacros;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.verify.StackHttp.Answer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every panel of every provisioned dashboard runs over the last hour, with rows wherever the scripted session wrote
 * data: through Grafana's query API when Grafana runs, else its SQL with the plugin's macros expanded on ClickHouse.
 */
record DashboardChecks(StackHttp http, CheckList checks) {

    private StackVerifier.Target target() {
        return http.target();
    }

    void run(boolean throughGrafana) {
        Instant now = Instant.now();
        var macros = new GrafanaMacros(
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofMinutes(1)),
                Duration.ofSeconds(60),
                Map.of("service", List.of(GrafanaMacros.ALL)));
        int ran = 0;
        List<String> problems = new ArrayList<>();
        for (Dashboards.PanelQuery panel :
                Dashboards.ofRepository(RepositoryLayout.root()).panelQueries()) {
            ran++;
            String problem = throughGrafana ? viaGrafana(panel, macros, now) : viaClickHouse(panel, macros);
            if (problem != null) {
                problems.add(panel + ": " + problem);
            }
        }
        checks.add(
                "dashboard panels" + (throughGrafana ? " (through Grafana)" : " (SQL on ClickHouse)"),
                problems.isEmpty(),
                ran + " panels ran"
                        + (problems.isEmpty()
                                ? ", each with rows where the session wrote data"
                                : "; " + String.join("; ", problems)));
    }

    /**
     * The Prometheus panels' expressions, run as instant queries by Prometheus where it runs (they use no Grafana
     * variables: PrometheusPanelsTests): each must parse and evaluate. They may rightly be
     * empty (no alert firing, no drop).
     */
    void prometheusPanels() {
        Answer ready = http.get(target().prometheus().resolve("/-/ready"), Map.of());
        List<Dashboards.PrometheusQuery> queries =
                Dashboards.ofRepository(RepositoryLayout.root()).prometheusQueries();
        if (ready.status() != 200) {
            checks.add(
                    "dashboard panels (PromQL on Prometheus)",
                    StackVerifier.Outcome.NOT_CHECKED,
                    queries.size() + " panel queries; Prometheus not running at " + target().prometheus());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Dashboards.PrometheusQuery query : queries) {
            Answer answer = http.get(
                    target().prometheus()
                            .resolve("/api/v1/query?query="
                                    + URLEncoder.encode(query.expression(), StandardCharsets.UTF_8)),
                    Map.of());
            if (answer.status() != 200) {
                problems.add(query + ": " + answer.describe());
            }
        }
        checks.add(
                "dashboard panels (PromQL on Prometheus)",
                problems.isEmpty(),
                queries.size() + " panel queries ran" + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)));
    }

    /**
     * Panels over ingest errors and over throttled (429) requests may rightly be empty on a healthy stack; every other
     * panel reads what the session wrote.
     */
    private static boolean needsRows(Dashboards.PanelQuery panel) {
        return !panel.sql().contains("ingest_errors") && !panel.sql().contains("status_code = 429");
    }

    private String viaClickHouse(Dashboards.PanelQuery panel, GrafanaMacros macros) {
        Answer answer = http.query(macros.expand(panel.sql()) + " FORMAT JSON");
        if (!answer.ok()) {
            return answer.text();
        }
        long rows = json(answer.body()).path("rows").asLong();
        return rows == 0 && needsRows(panel) ? "no rows" : null;
    }

    private String viaGrafana(Dashboards.PanelQuery panel, GrafanaMacros macros, Instant now) {
        var query = Dashboards.JSON.createObjectNode();
        query.put("from", Long.toString(now.minus(Duration.ofHours(1)).toEpochMilli()));
        query.put("to", Long.toString(now.toEpochMilli()));
        var panelQuery = query.putArray("queries").addObject();
        panelQuery.put("refId", "A");
        panelQuery
                .putObject("datasource")
                .put("type", "grafana-clickhouse-datasource")
                .put("uid", "clickhouse");
        // What Grafana's frontend does before the query reaches the backend: $__conditionalAll and the variables.
        panelQuery.put("rawSql", macros.frontend(panel.sql()));
        panelQuery.put("editorType", "sql");
        panelQuery.put("format", 1);
        Answer answer = http.send(HttpRequest.newBuilder(target().grafana().resolve("/api/ds/query"))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(target().grafanaUser(), target().grafanaPassword()))
                .POST(HttpRequest.BodyPublishers.ofString(query.toString())));
        if (answer.status() != 200) {
            return answer.describe();
        }
        JsonNode result = json(answer.body()).path("results").path("A");
        if (result.hasNonNull("error")) {
            return result.path("error").asText();
        }
        boolean empty = result.path("frames").isEmpty()
                || result.path("frames")
                        .get(0)
                        .path("data")
                        .path("values")
                        .path(0)
                        .isEmpty();
        return empty && needsRows(panel) ? "no rows" : null;
    }
}
