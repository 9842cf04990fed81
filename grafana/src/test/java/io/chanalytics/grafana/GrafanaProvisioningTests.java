package io.chanalytics.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Static checks of the Grafana provisioning: what Grafana would reject or show broken, found without Grafana. */
class GrafanaProvisioningTests {

    // Maven runs the tests in the module's folder, grafana/ itself.
    private static final Path GRAFANA = Path.of("").toAbsolutePath();
    private static final Path ROOT = GRAFANA.getParent();
    // Grafana's service is written once, in the file both stacks extend (compose-tests check they do).
    private static final Path COMPOSE_GRAFANA = ROOT.resolve("docker-compose.shared.yml");
    private static final Dashboards DASHBOARDS = Dashboards.in(GRAFANA.resolve("dashboards"));
    private static final String DATASOURCE_UID = "clickhouse";
    private static final String PLUGIN = "grafana-clickhouse-datasource";
    private static final Set<String> PLUGIN_MACROS = Set.of(
            "timeFilter",
            "timeFilter_ms",
            "dateFilter",
            "dateTimeFilter",
            "dt",
            "fromTime",
            "toTime",
            "fromTime_ms",
            "toTime_ms",
            "timeInterval",
            "timeInterval_ms",
            "interval_s",
            "conditionalAll");

    @Test
    @SuppressWarnings("unchecked")
    void datasourceIsTheClickHousePluginAsTheReadOnlyUser() throws IOException {
        Map<String, Object> file = yaml(GRAFANA.resolve("provisioning/datasources/clickhouse.yml"));
        List<Map<String, Object>> datasources = (List<Map<String, Object>>) file.get("datasources");
        assertThat(datasources).hasSize(1);
        Map<String, Object> datasource = datasources.getFirst();
        assertThat(datasource).containsEntry("uid", DATASOURCE_UID).containsEntry("type", PLUGIN);
        Map<String, Object> jsonData = (Map<String, Object>) datasource.get("jsonData");
        assertThat(jsonData).containsEntry("username", "grafana").containsEntry("defaultDatabase", "analytics");
        assertThat(jsonData.get("protocol")).isIn("native", "http");
        Map<String, Object> secure = (Map<String, Object>) datasource.get("secureJsonData");
        assertThat((String) secure.get("password"))
                .as("the password comes from the environment, never from the file")
                .startsWith("${");
    }

    /**
     * What the plugin sends with every query must pass the read-only profile's constraints, or ClickHouse rejects each
     * panel while the datasource's health check (a ping) still passes. The plugin's driver (clickhouse-go, plugin
     * 4.20.0 {@code pkg/plugin/driver.go}, sqlds' context deadline) sets {@code max_execution_time} to the seconds
     * left of {@code queryTimeout} plus 5, so up to {@code queryTimeout + 5}; the profile is {@code readonly = 1},
     * under which only a setting marked {@code changeable_in_readonly} may be sent at all.
     */
    @Test
    @SuppressWarnings("unchecked")
    void everySettingThePluginSendsPassesTheReadOnlyProfilesConstraints() throws Exception {
        Map<String, Object> datasource = ((List<Map<String, Object>>)
                        yaml(GRAFANA.resolve("provisioning/datasources/clickhouse.yml"))
                                .get("datasources"))
                .getFirst();
        Map<String, Object> jsonData = (Map<String, Object>) datasource.get("jsonData");
        int queryTimeout = Integer.parseInt(String.valueOf(jsonData.getOrDefault("queryTimeout", "60")));
        int maxExecutionTimeSent = queryTimeout + 5;

        var users = grafanaUsers();
        var xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        String profile = xpath.evaluate("/clickhouse/users/grafana/profile", users);
        String constraint = "/clickhouse/profiles/" + profile + "/constraints/max_execution_time";
        assertThat(xpath.evaluate("/clickhouse/profiles/" + profile + "/readonly", users))
                .isEqualTo("1");
        assertThat((Boolean) xpath.evaluate(
                        "boolean(" + constraint + "/changeable_in_readonly)",
                        users,
                        javax.xml.xpath.XPathConstants.BOOLEAN))
                .as("max_execution_time may be sent by a read-only user")
                .isTrue();
        assertThat(maxExecutionTimeSent)
                .as("max_execution_time the plugin sends (queryTimeout %s + 5)", queryTimeout)
                .isBetween(
                        Integer.parseInt(xpath.evaluate(constraint + "/min", users)),
                        Integer.parseInt(xpath.evaluate(constraint + "/max", users)));
    }

    /**
     * Grafana's user may read the analytics tables and nothing else: no source grants (FILE, URL, REMOTE, S3), so a
     * table function fails even where a subquery's SETTINGS gets past readonly = 1. ClickHouse refuses {@code grants}
     * together with {@code allow_databases} or {@code access_management}.
     */
    @Test
    void theGrafanaUserMayOnlyReadTheAnalyticsTables() throws Exception {
        var users = grafanaUsers();
        var xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        var grants = (org.w3c.dom.NodeList)
                xpath.evaluate("/clickhouse/users/grafana/grants/query", users, javax.xml.xpath.XPathConstants.NODESET);
        List<String> queries = new java.util.ArrayList<>();
        for (int i = 0; i < grants.getLength(); i++) {
            queries.add(grants.item(i).getTextContent().strip());
        }
        assertThat(queries).containsExactly("GRANT SELECT ON analytics.*");
        for (String excluded : List.of("allow_databases", "access_management", "allow_dictionaries")) {
            assertThat(xpath.evaluate("count(/clickhouse/users/grafana/" + excluded + ")", users))
                    .as(excluded)
                    .isEqualTo("0");
        }
    }

    /** Grafana refuses a dashboard refresh below its min_refresh_interval (5 s unless compose sets another). */
    @Test
    @SuppressWarnings("unchecked")
    void dashboardsRefreshInRealTimeAndNoFasterThanGrafanaAllows() throws IOException {
        Map<String, Object> grafana =
                ((Map<String, Map<String, Object>>) yaml(COMPOSE_GRAFANA).get("services")).get("grafana");
        Map<String, Object> environment = (Map<String, Object>) grafana.get("environment");
        java.time.Duration minimum =
                refresh(String.valueOf(environment.getOrDefault("GF_DASHBOARDS_MIN_REFRESH_INTERVAL", "5s")));
        for (Path file : DASHBOARDS.files()) {
            java.time.Duration refresh =
                    refresh(Dashboards.read(file).path("refresh").asText());
            assertThat(refresh).as(file + " refresh").isBetween(minimum, java.time.Duration.ofSeconds(5));
        }
    }

    /** The users file compose mounts into the ClickHouse server for Grafana. */
    private static org.w3c.dom.Document grafanaUsers() throws Exception {
        return javax.xml.parsers.DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve("clickhouse/docker/users.d/grafana.xml").toFile());
    }

    private static java.time.Duration refresh(String text) {
        assertThat(text).as("a refresh interval like 5s or 1m").matches("\\d+[sm]");
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return text.endsWith("m") ? java.time.Duration.ofMinutes(amount) : java.time.Duration.ofSeconds(amount);
    }

    /** The original stack's three dashboards with the panels its users know, plus Pipeline health; Overview is home. */
    @Test
    @SuppressWarnings("unchecked")
    void theOriginalDashboardsAreCompleteAndReadRollups() throws IOException {
        Map<String, List<String>> required = Map.of(
                "Overview",
                List.of(
                        "Requests per second by service",
                        "Average and p95 latency",
                        "Responses by status code",
                        "Top 10 endpoints",
                        "Active users by region"),
                "Performance",
                List.of(
                        "Response time by endpoint",
                        "Throughput by service",
                        "Error rate by service",
                        "Errors per minute",
                        "CPU by service",
                        "Memory by service",
                        "Errors by endpoint and code"),
                "Business Analytics",
                List.of("Revenue", "Active users", "Most viewed products", "Conversion", "Funnel"));
        Map<String, List<String>> panels = new java.util.HashMap<>();
        for (Dashboards.PanelQuery query : DASHBOARDS.panelQueries()) {
            panels.computeIfAbsent(query.dashboard(), d -> new java.util.ArrayList<>())
                    .add(query.panel());
            if (required.containsKey(query.dashboard())) {
                assertThat(query.sql())
                        .as(query + " reads a rollup, not raw request rows")
                        .doesNotContainPattern("FROM analytics\\.request_metrics(\\s|$)");
            }
        }
        required.forEach((dashboard, titles) ->
                assertThat(panels.get(dashboard)).as(dashboard).containsAll(titles));
        assertThat(panels).containsKey("Pipeline health");
        Map<String, Object> grafana =
                ((Map<String, Map<String, Object>>) yaml(COMPOSE_GRAFANA).get("services")).get("grafana");
        assertThat(((Map<String, Object>) grafana.get("environment")).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .isEqualTo("/var/lib/grafana/dashboards/overview.json");
    }

    /**
     * The mount hides the image's own provisioning folders; Grafana 12 reads four of them (its provisioning service:
     * plugins, datasources, alerting, dashboards) and logs an error at every start for each one missing. Each holds a
     * YAML file Grafana reads: {@code apiVersion: 1}, as every provisioning file has.
     */
    @Test
    void everyFolderGrafanaProvisionsFromIsShipped() throws IOException {
        for (String folder : List.of("plugins", "datasources", "alerting", "dashboards")) {
            Path directory = GRAFANA.resolve("provisioning").resolve(folder);
            assertThat(directory).as(folder).isDirectory();
            try (var files = Files.list(directory)) {
                List<Path> yamlFiles = files.filter(file -> file.toString().matches(".*\\.ya?ml"))
                        .toList();
                assertThat(yamlFiles).as(folder).isNotEmpty();
                for (Path file : yamlFiles) {
                    assertThat(yaml(file)).as(file.toString()).containsEntry("apiVersion", 1);
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void dashboardProviderReadsTheFolderComposeMounts() throws IOException {
        Map<String, Object> file = yaml(GRAFANA.resolve("provisioning/dashboards/dashboards.yml"));
        List<Map<String, Object>> providers = (List<Map<String, Object>>) file.get("providers");
        assertThat(providers).hasSize(1);
        String path = (String) ((Map<String, Object>) providers.getFirst().get("options")).get("path");

        Map<String, Object> compose = yaml(COMPOSE_GRAFANA);
        Map<String, Object> grafana =
                (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get("grafana");
        assertThat((List<String>) grafana.get("volumes"))
                .contains(
                        "./grafana/dashboards:" + path + ":ro", "./grafana/provisioning:/etc/grafana/provisioning:ro");
    }

    @Test
    void theThreeDashboardsExistWithUniqueUids() {
        List<String> titles = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (Path file : DASHBOARDS.files()) {
            JsonNode dashboard = Dashboards.read(file);
            titles.add(dashboard.path("title").asText());
            assertThat(uids.add(dashboard.path("uid").asText()))
                    .as("unique uid in " + file)
                    .isTrue();
            assertThat(dashboard.path("uid").asText()).as(file + " uid").isNotBlank();
            assertThat(dashboard.has("id") && !dashboard.get("id").isNull())
                    .as(file + ": provisioned dashboards carry no database id")
                    .isFalse();
        }
        assertThat(titles).contains("Overview", "Performance", "Business Analytics", "Pipeline health");
    }

    /**
     * A panel reads ClickHouse (SQL in rawSql) or Prometheus (PromQL in expr, {@link PrometheusPanelsTests}), each by
     * the uid its datasource is provisioned with; its targets read the panel's datasource.
     */
    @Test
    void everyPanelAndVariableUsesTheProvisionedDatasource() {
        for (Path file : DASHBOARDS.files()) {
            JsonNode dashboard = Dashboards.read(file);
            List<JsonNode> panels = Dashboards.panels(dashboard);
            assertThat(panels).as(file + " panels").isNotEmpty();
            for (JsonNode panel : panels) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                boolean prometheus =
                        panel.path("datasource").path("type").asText().equals(Dashboards.PROMETHEUS);
                if (prometheus) {
                    assertThat(panel.path("datasource").path("uid").asText())
                            .as(where + " datasource uid")
                            .isEqualTo(PrometheusPanelsTests.DATASOURCE_UID);
                } else {
                    assertDatasource(panel.path("datasource"), where);
                }
                assertThat(panel.path("targets")).as(where + " targets").isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource"))
                            .as(where + " target datasource")
                            .isEqualTo(panel.path("datasource"));
                    if (prometheus) {
                        assertThat(target.path("expr").asText())
                                .as(where + " expr")
                                .isNotBlank();
                        assertThat(target.has("rawSql")).as(where + " rawSql").isFalse();
                    } else {
                        assertThat(target.path("editorType").asText()).as(where).isEqualTo("sql");
                        assertThat(target.path("rawSql").asText())
                                .as(where + " rawSql")
                                .isNotBlank();
                    }
                }
            }
            for (JsonNode variable : Dashboards.variables(dashboard)) {
                assertDatasource(
                        variable.path("datasource"), file.getFileName() + " variable $" + variable.path("name"));
            }
        }
    }

    @Test
    void panelsUseOnlyMacrosThePluginKnowsAndReadTheAnalyticsTables() {
        Pattern macro = Pattern.compile("\\$__(\\w+)");
        Pattern table = Pattern.compile("(?i)\\bFROM\\s+([\\w.]+)");
        for (Dashboards.PanelQuery query : DASHBOARDS.panelQueries()) {
            Matcher macros = macro.matcher(query.sql());
            while (macros.find()) {
                assertThat(PLUGIN_MACROS)
                        .as(query + " uses $__" + macros.group(1))
                        .contains(macros.group(1));
            }
            // A comment may say "from the hourly rollup": the plugin blanks comments before ClickHouse sees the SQL.
            Matcher tables = table.matcher(GrafanaMacros.blankComments(query.sql()));
            while (tables.find()) {
                if (!tables.group(1).startsWith("(")) {
                    assertThat(tables.group(1)).as(query + " reads").startsWith("analytics.");
                }
            }
        }
    }

    /**
     * A column named after a percentile reads that level: {@code quantilesDD(0.01, 0.5, 0.95, 0.99)} returns three
     * values (its first parameter is the sketch's relative accuracy), so {@code [3] AS p95} showed the p99 and
     * {@code [4] AS p99_ms} an empty value (ClickHouse answers an index past the end with 0).
     */
    @Test
    void percentileColumnsReadTheLevelTheirNameSays() {
        Pattern percentile = Pattern.compile("(quantiles?\\w*)\\(([^()]*)\\)\\((?:[^()]|\\([^()]*\\))*\\)"
                + "(?:\\[(\\d+)])?(?:\\s*,\\s*\\d+\\))?\\s+AS\\s+p(\\d+)(?!\\d)");
        int checked = 0;
        for (Dashboards.PanelQuery query : DASHBOARDS.panelQueries()) {
            Matcher column = percentile.matcher(query.sql());
            while (column.find()) {
                List<String> parameters = List.of(column.group(2).split("\\s*,\\s*"));
                List<String> levels =
                        column.group(1).contains("DD") ? parameters.subList(1, parameters.size()) : parameters;
                String level =
                        column.group(3) == null ? levels.getLast() : levels.get(Integer.parseInt(column.group(3)) - 1);
                assertThat(Double.parseDouble(level))
                        .as(query.panel() + ": " + column.group())
                        .isEqualTo(Double.parseDouble("0." + column.group(4)));
                checked++;
            }
        }
        assertThat(checked).as("percentile columns found").isGreaterThanOrEqualTo(10);
    }

    @Test
    void timeSeriesPanelsReturnATimeColumnAndFilterByTheDashboardRange() {
        for (Path file : DASHBOARDS.files()) {
            for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
                for (JsonNode target : panel.path("targets")) {
                    if (!Dashboards.datasourceType(panel, target).equals(PLUGIN)) {
                        continue; // PromQL: Grafana sends the range and step itself.
                    }
                    String sql = target.path("rawSql").asText();
                    String where =
                            file.getFileName() + " / " + panel.path("title").asText();
                    assertThat(sql).as(where + " filters by the time range").containsPattern("\\$__timeFilter");
                    if (panel.path("type").asText().equals("timeseries")) {
                        assertThat(target.path("format").asInt())
                                .as(where + " format")
                                .isZero();
                        assertThat(sql).as(where).containsPattern("\\$__timeInterval(_ms)?\\(\\w+\\) AS time");
                    }
                }
            }
        }
    }

    /**
     * Grafana places panels on a 24-column grid by gridPos and refers to them by id (links, the panel editor): two
     * panels with one id, or on the same cells, show one of them wrongly. Rows are panels too.
     */
    @Test
    void panelIdsAreUniqueAndNoTwoPanelsShareACell() {
        for (Path file : DASHBOARDS.files()) {
            Set<Integer> ids = new HashSet<>();
            Map<String, String> cells = new java.util.HashMap<>();
            for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt(-1)))
                        .as(where + " id")
                        .isTrue();
                JsonNode grid = panel.path("gridPos");
                int x = grid.path("x").asInt();
                int width = grid.path("w").asInt();
                assertThat(width).as(where + " width").isPositive();
                assertThat(x + width).as(where + " right edge").isLessThanOrEqualTo(24);
                for (int row = grid.path("y").asInt();
                        row < grid.path("y").asInt() + grid.path("h").asInt();
                        row++) {
                    for (int column = x; column < x + width; column++) {
                        String other = cells.put(row + ":" + column, where);
                        assertThat(other).as(where + " overlaps " + other).isNull();
                    }
                }
            }
        }
    }

    private static void assertDatasource(JsonNode datasource, String where) {
        assertThat(datasource.path("uid").asText())
                .as(where + " datasource uid")
                .isEqualTo(DATASOURCE_UID);
        assertThat(datasource.path("type").asText())
                .as(where + " datasource type")
                .isEqualTo(PLUGIN);
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        }
    }
}
