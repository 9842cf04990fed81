package io.chanalytics.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus side of the dashboards: the provisioned datasource is compose's Prometheus under the uid the panels
 * name, every panel's PromQL is accepted by Prometheus's own parser ({@code promtool}, Debian's prometheus package,
 * which .ci/run installs; skipped with a reason elsewhere, never in CI), and every series a panel reads is one the
 * alert rules read too or one Prometheus writes itself: a misspelt name would draw an empty panel, not an error.
 */
class PrometheusPanelsTests {

    static final String DATASOURCE_UID = "prometheus";

    // Maven runs the tests in the module's folder, grafana/ itself.
    private static final Path GRAFANA = Path.of("").toAbsolutePath();
    private static final Path ROOT = GRAFANA.getParent();
    private static final Dashboards DASHBOARDS = Dashboards.in(GRAFANA.resolve("dashboards"));
    private static final Path RULES = ROOT.resolve("monitoring/prometheus/rules/chanalytics.rules.yml");

    /** Series Prometheus itself writes: ALERTS, one per pending or firing alert of the rules. */
    private static final Set<String> WRITTEN_BY_PROMETHEUS = Set.of("ALERTS");

    /** PromQL's words that read like a series name: aggregation clauses, set operators, modifiers. */
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "bool",
            "offset",
            "inf",
            "nan");

    // A function or aggregation is a name followed by "("; a label list follows by/without/on/ignoring/group_*.
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NAME =
            Pattern.compile("(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*(?![A-Za-z0-9_:])(?!\\s*\\()");

    @Test
    @SuppressWarnings("unchecked")
    void theDatasourceIsComposesPrometheusUnderTheUidThePanelsUse() throws IOException {
        List<Map<String, Object>> datasources = (List<Map<String, Object>>)
                yaml(GRAFANA.resolve("provisioning/datasources/prometheus.yml")).get("datasources");
        assertThat(datasources).hasSize(1);
        Map<String, Object> datasource = datasources.getFirst();
        assertThat(datasource)
                .containsEntry("uid", DATASOURCE_UID)
                .containsEntry("type", Dashboards.PROMETHEUS)
                .containsEntry("isDefault", false);

        // The host and port of the URL are compose's Prometheus service and the port it listens on.
        Matcher url = Pattern.compile("http://([\\w-]+):(\\d+)").matcher((String) datasource.get("url"));
        assertThat(url.matches()).as("url " + datasource.get("url")).isTrue();
        Map<String, Object> service = ((Map<String, Map<String, Object>>)
                        yaml(ROOT.resolve("docker-compose.shared.yml")).get("services"))
                .get(url.group(1));
        assertThat(service).as("compose service " + url.group(1)).isNotNull();
        assertThat((List<String>) service.get("ports"))
                .as("the container port Prometheus listens on")
                .anyMatch(port -> port.endsWith(":" + url.group(2)));

        // Grafana's shortest step and $__rate_interval basis: the interval Prometheus scrapes at.
        Map<String, Object> prometheus = yaml(ROOT.resolve("monitoring/prometheus/prometheus.yml"));
        assertThat(((Map<String, Object>) datasource.get("jsonData")).get("timeInterval"))
                .isEqualTo(((Map<String, Object>) prometheus.get("global")).get("scrape_interval"));

        // One default datasource per organisation, or Grafana refuses the provisioning: ClickHouse's.
        List<String> defaults = new ArrayList<>();
        try (Stream<Path> files = Files.list(GRAFANA.resolve("provisioning/datasources"))) {
            for (Path file :
                    files.filter(file -> file.toString().endsWith(".yml")).toList()) {
                for (Map<String, Object> each :
                        (List<Map<String, Object>>) yaml(file).get("datasources")) {
                    if (Boolean.TRUE.equals(each.get("isDefault"))) {
                        defaults.add((String) each.get("uid"));
                    }
                }
            }
        }
        assertThat(defaults).containsExactly("clickhouse");
    }

    @Test
    void thePipelineDashboardShowsTheFiringAlertsAndTheSeriesTheRulesRead() {
        List<Dashboards.PrometheusQuery> queries = DASHBOARDS.prometheusQueries();
        assertThat(queries).allSatisfy(query -> assertThat(query.dashboard()).isEqualTo("Pipeline health"));
        assertThat(queries)
                .extracting(Dashboards.PrometheusQuery::expression)
                .contains("ALERTS{alertstate=\"firing\"}")
                .anyMatch(expression -> expression.contains("chanalytics_events_dropped_total"))
                .anyMatch(expression -> expression.contains("chanalytics_events_failed_total"))
                .anyMatch(expression -> expression.contains("ClickHouseProfileEvents_KafkaRowsRead"))
                .anyMatch(expression -> expression.contains("ClickHouseProfileEvents_KafkaMessagesFailed"))
                .anyMatch(expression -> expression.contains("kafka_consumergroup_lag"))
                .anyMatch(expression -> expression.contains("status=~\"5..\""));
    }

    /**
     * Each panel's expression as a recording rule of a scratch rules file, checked by promtool: Prometheus's own
     * parser, so a PromQL error (or a Grafana variable, which Prometheus does not expand) fails here, not on screen.
     */
    @Test
    void prometheusParsesEveryPanelsExpression(@TempDir Path scratch) throws Exception {
        List<Dashboards.PrometheusQuery> queries = DASHBOARDS.prometheusQueries();
        assertThat(queries).isNotEmpty();
        Result check = checkRules(
                scratch,
                queries.stream().map(Dashboards.PrometheusQuery::expression).toList());
        assertThat(check.exitCode()).as(queries + "\n" + check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    /** The check above fails on an expression Prometheus cannot parse (what it is worth). */
    @Test
    void promtoolRefusesAnExpressionThatDoesNotParse(@TempDir Path scratch) throws Exception {
        Result check = checkRules(scratch, List.of("sum by (job) (rate(up[1m])", "rate(up[$__rate_interval])"));
        assertThat(check.exitCode()).as(check.output()).isNotZero();
    }

    @Test
    void everySeriesAPanelReadsIsOneTheRulesReadOrPrometheusWrites() {
        Set<String> known = new TreeSet<>(WRITTEN_BY_PROMETHEUS);
        for (String expression : ruleExpressions()) {
            known.addAll(seriesIn(expression));
        }
        assertThat(known)
                .as("what the rules read (a check of the reading below)")
                .contains(
                        "up",
                        "http_server_requests_seconds_count",
                        "chanalytics_events_dropped_total",
                        "ClickHouseProfileEvents_KafkaRowsRead",
                        "kafka_consumergroup_lag");
        for (Dashboards.PrometheusQuery query : DASHBOARDS.prometheusQueries()) {
            assertThat(seriesIn(query.expression()))
                    .as(query.toString())
                    .isNotEmpty()
                    .isSubsetOf(known);
        }
    }

    @Test
    void theSeriesReadingFindsSeriesNotFunctionsLabelsOrKeywords() {
        assertThat(seriesIn("sum by (job, topic) (rate(chanalytics_events_typo_total{status=~\"5..\", a=\"b c\"}[5m]))"
                        + " / on() group_left sum without (le) (increase(ClickHouseMetrics_X[1m])) > 0 and up == 0"))
                .containsExactlyInAnyOrder("chanalytics_events_typo_total", "ClickHouseMetrics_X", "up");
    }

    /** The names of the series an expression reads: what is left once strings, matchers, ranges and clauses go. */
    static Set<String> seriesIn(String expression) {
        String bare = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ");
        bare = LABEL_LISTS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!KEYWORDS.contains(name.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(name.group());
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<String> ruleExpressions() {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) yaml(RULES).get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                expressions.add((String) rule.get("expr"));
            }
        }
        assertThat(expressions).as("rules of " + RULES).isNotEmpty();
        return expressions;
    }

    private record Result(int exitCode, String output) {}

    /** promtool check rules on a rules file holding each expression as the recording rule panel_N. */
    private static Result checkRules(Path scratch, List<String> expressions) throws Exception {
        boolean installed = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, "promtool")));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("promtool is not installed, and CI must run it (.ci/run installs it)");
        }
        assumeTrue(installed, "promtool is not installed (Debian: prometheus); the other panel checks still ran");
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("record", "panel_" + (i + 1));
            rule.put("expr", expressions.get(i));
            rules.add(rule);
        }
        Path file = scratch.resolve("panels.rules.yml");
        Files.writeString(file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "panels", "rules", rules)))));
        Process process = new ProcessBuilder("promtool", "check", "rules", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("promtool finished")
                .isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Map<String, Object> yaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + file, e);
        }
    }
}
