package io.chanalytics.stack;

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

    private static final Path GRAFANA = RepositoryLayout.root().resolve("grafana");
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

    @Test
    @SuppressWarnings("unchecked")
    void dashboardProviderReadsTheFolderComposeMounts() throws IOException {
        Map<String, Object> file = yaml(GRAFANA.resolve("provisioning/dashboards/dashboards.yml"));
        List<Map<String, Object>> providers = (List<Map<String, Object>>) file.get("providers");
        assertThat(providers).hasSize(1);
        String path = (String) ((Map<String, Object>) providers.getFirst().get("options")).get("path");

        Map<String, Object> compose = yaml(RepositoryLayout.root().resolve("docker-compose.yml"));
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
        for (Path file : Dashboards.files()) {
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
        assertThat(titles).contains("Requests", "Business", "Services");
    }

    @Test
    void everyPanelAndVariableUsesTheProvisionedDatasource() {
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            List<JsonNode> panels = Dashboards.panels(dashboard);
            assertThat(panels).as(file + " panels").isNotEmpty();
            for (JsonNode panel : panels) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                String where = file.getFileName() + " / " + panel.path("title").asText();
                assertDatasource(panel.path("datasource"), where);
                assertThat(panel.path("targets")).as(where + " targets").isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertDatasource(target.path("datasource"), where + " target");
                    assertThat(target.path("editorType").asText()).as(where).isEqualTo("sql");
                    assertThat(target.path("rawSql").asText())
                            .as(where + " rawSql")
                            .isNotBlank();
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
        for (Dashboards.PanelQuery query : Dashboards.panelQueries()) {
            Matcher macros = macro.matcher(query.sql());
            while (macros.find()) {
                assertThat(PLUGIN_MACROS)
                        .as(query + " uses $__" + macros.group(1))
                        .contains(macros.group(1));
            }
            Matcher tables = table.matcher(query.sql());
            while (tables.find()) {
                if (!tables.group(1).startsWith("(")) {
                    assertThat(tables.group(1)).as(query + " reads").startsWith("analytics.");
                }
            }
        }
    }

    @Test
    void timeSeriesPanelsReturnATimeColumnAndFilterByTheDashboardRange() {
        for (Path file : Dashboards.files()) {
            for (JsonNode panel : Dashboards.panels(Dashboards.read(file))) {
                for (JsonNode target : panel.path("targets")) {
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
