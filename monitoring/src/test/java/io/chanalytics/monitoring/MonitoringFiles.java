package io.chanalytics.monitoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The monitoring files of the repository, and what the alert rules say, read as Prometheus reads them. */
final class MonitoringFiles {

    /** The module's directory: Maven runs the tests there. */
    static final Path MODULE = Path.of("").toAbsolutePath();

    static final Path REPOSITORY = MODULE.getParent();
    static final Path PROMETHEUS = MODULE.resolve("prometheus");
    static final Path RULES = PROMETHEUS.resolve("rules/chanalytics.rules.yml");
    static final Path RULE_TESTS = PROMETHEUS.resolve("rules/rules.test.yml");
    static final Path ALERTMANAGER = MODULE.resolve("alertmanager/alertmanager.yml");

    /** An alerting rule: its name, expression, labels and annotations. */
    record Alert(String name, String expression, Map<String, String> labels, Map<String, String> annotations) {}

    private MonitoringFiles() {}

    @SuppressWarnings("unchecked")
    static List<Alert> alerts() {
        Map<String, Object> file = yaml(RULES);
        List<Alert> alerts = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                alerts.add(new Alert(
                        (String) rule.get("alert"),
                        (String) rule.get("expr"),
                        (Map<String, String>) rule.getOrDefault("labels", Map.of()),
                        (Map<String, String>) rule.getOrDefault("annotations", Map.of())));
            }
        }
        return alerts;
    }

    /** The ClickHouse series the rules read, by the prefixes of the server's Prometheus handler. */
    static Set<String> clickHouseSeries() {
        Set<String> names = new TreeSet<>();
        Matcher series = Pattern.compile("\\bClickHouse(?:ProfileEvents|Metrics|AsyncMetrics)_\\w+")
                .matcher(alerts().stream().map(Alert::expression).reduce("", String::concat));
        while (series.find()) {
            names.add(series.group());
        }
        return names;
    }

    static Map<String, Object> yaml(Path file) {
        try {
            return new Yaml().load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
