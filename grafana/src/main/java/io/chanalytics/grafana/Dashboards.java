package io.chanalytics.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The provisioned dashboards ({@code grafana/dashboards/*.json}), read as Grafana reads them. A panel reads either
 * ClickHouse (datasource type {@value #CLICKHOUSE}, its SQL in {@code targets[].rawSql}) or Prometheus (type
 * {@value #PROMETHEUS}, its PromQL in {@code targets[].expr}); {@link #panelQueries()} and {@link #prometheusQueries()}
 * return each kind.
 */
public final class Dashboards {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** The datasource type of the ClickHouse plugin's panels (provisioned as uid {@code clickhouse}). */
    public static final String CLICKHOUSE = "grafana-clickhouse-datasource";

    /** The datasource type of Grafana's Prometheus panels (provisioned as uid {@code prometheus}). */
    public static final String PROMETHEUS = "prometheus";

    private final Path directory;

    private Dashboards(Path directory) {
        this.directory = directory;
    }

    /** The dashboards of a folder of dashboard JSON files. */
    public static Dashboards in(Path directory) {
        return new Dashboards(directory);
    }

    /** The dashboards Grafana is provisioned with, in a checkout whose root is {@code repositoryRoot}. */
    public static Dashboards ofRepository(Path repositoryRoot) {
        return in(repositoryRoot.resolve("grafana/dashboards"));
    }

    public Path directory() {
        return directory;
    }

    public List<Path> files() {
        try (Stream<Path> files = Files.list(directory())) {
            List<Path> dashboards = files.filter(
                            file -> file.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
            // Every check loops over these: finding none must fail, not pass vacuously.
            if (dashboards.isEmpty()) {
                throw new IllegalStateException("No dashboard JSON in " + directory());
            }
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    /** Every SQL query of every ClickHouse panel, with where it comes from. */
    public List<PanelQuery> panelQueries() {
        List<PanelQuery> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            int before = queries.size();
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    if (!datasourceType(panel, target).equals(CLICKHOUSE)) {
                        continue;
                    }
                    var query = new PanelQuery(
                            dashboard.path("title").asText(),
                            panel.path("title").asText(),
                            target.path("rawSql").asText());
                    if (query.sql().isBlank()) {
                        throw new IllegalStateException(query + ": a target without rawSql");
                    }
                    queries.add(query);
                }
            }
            if (queries.size() == before) {
                throw new IllegalStateException(file + " has no panel query");
            }
        }
        return queries;
    }

    /** Every PromQL expression of every Prometheus panel, with where it comes from. */
    public List<PrometheusQuery> prometheusQueries() {
        List<PrometheusQuery> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard)) {
                for (JsonNode target : panel.path("targets")) {
                    if (!datasourceType(panel, target).equals(PROMETHEUS)) {
                        continue;
                    }
                    var query = new PrometheusQuery(
                            dashboard.path("title").asText(),
                            panel.path("title").asText(),
                            target.path("refId").asText(),
                            target.path("expr").asText());
                    if (query.expression().isBlank()) {
                        throw new IllegalStateException(query + ": a Prometheus target without expr");
                    }
                    queries.add(query);
                }
            }
        }
        return queries;
    }

    /** The type of the datasource a target queries: its own, or else its panel's (as Grafana picks it). */
    public static String datasourceType(JsonNode panel, JsonNode target) {
        String own = target.path("datasource").path("type").asText();
        return own.isEmpty() ? panel.path("datasource").path("type").asText() : own;
    }

    /** Panels, including those nested in collapsed rows. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    public static List<JsonNode> variables(JsonNode dashboard) {
        List<JsonNode> variables = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variables::add);
        return variables;
    }

    public record PanelQuery(String dashboard, String panel, String sql) {

        @Override
        public String toString() {
            return dashboard + " / " + panel;
        }
    }

    /** A Prometheus panel's query: the PromQL of one target ({@code refId}). */
    public record PrometheusQuery(String dashboard, String panel, String refId, String expression) {

        @Override
        public String toString() {
            return dashboard + " / " + panel + " / " + refId;
        }
    }
}
