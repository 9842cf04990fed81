package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The compose side of the schema, checked without Docker: the init script substitutes exactly like the Java runner
 * (so the container and the embedded engine get the same SQL), and the users file keeps Grafana read-only.
 */
class DockerInitTests {

    private static final Path SCHEMA = Path.of("src/main/resources/clickhouse/schema");

    @Test
    void theInitScriptProducesTheSqlTheJavaRunnerApplies() throws Exception {
        Map<String, String> variables = SchemaVariables.withOverrides(Map.of(
                SchemaVariables.KAFKA_BROKER_LIST, "kafka-1:29092,kafka-2:29092",
                SchemaVariables.SCHEMA_REGISTRY_URL, "http://registry:8081/it's\\here?a=1&b=2",
                SchemaVariables.RAW_TTL_DAYS, "7")::get);
        ProcessBuilder script = new ProcessBuilder("bash", "docker/initdb/apply-schema.sh")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        script.environment().putAll(variables);
        script.environment().put("CHANALYTICS_SCHEMA_DIR", SCHEMA.toString());
        script.environment().put("CHANALYTICS_SQL_CLIENT", "cat");

        String expected = SchemaMigrations.fromDirectory(SCHEMA).scripts().stream()
                .map(file -> file.substitute(variables).text().replaceAll("\\n+$", "") + "\n")
                .collect(Collectors.joining());

        assertThat(withoutLedger(run(script)))
                .isEqualTo(expected)
                .contains("'http://registry:8081/it\\'s\\\\here?a=1&b=2'");
    }

    @Test
    void withoutVariablesTheInitScriptUsesTheSameDefaultsFileAsTheJavaRunner() throws Exception {
        ProcessBuilder script = new ProcessBuilder("bash", "docker/initdb/apply-schema.sh")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        script.environment().keySet().removeIf(name -> name.startsWith("CH_"));
        script.environment().put("CHANALYTICS_SCHEMA_DIR", SCHEMA.toString());
        script.environment().put("CHANALYTICS_SQL_CLIENT", "cat");

        String expected = SchemaMigrations.fromDirectory(SCHEMA).scripts().stream()
                .map(file -> file.substitute(SchemaVariables.defaults()).text().replaceAll("\\n+$", "") + "\n")
                .collect(Collectors.joining());
        assertThat(withoutLedger(run(script)))
                .isEqualTo(expected)
                .contains("kafka_broker_list = 'localhost:9092'")
                .contains("kafka_group_name = 'clickhouse_request_metrics'")
                .doesNotContain("${");
    }

    @Test
    void grafanaIsReadOnlyWithABoundedExecutionTime() throws Exception {
        Document users = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("docker/users.d/grafana.xml").toFile());
        var xpath = XPathFactory.newInstance().newXPath();

        assertThat(xpath.evaluate("/clickhouse/users/grafana/profile", users)).isEqualTo("grafana_readonly");
        assertThat(xpath.evaluate("/clickhouse/users/grafana/password/@from_env", users))
                .isEqualTo("CLICKHOUSE_GRAFANA_PASSWORD");
        assertThat(xpath.evaluate("/clickhouse/profiles/grafana_readonly/readonly", users))
                .isEqualTo("1");
        assertThat(Integer.parseInt(xpath.evaluate("/clickhouse/profiles/grafana_readonly/max_execution_time", users)))
                .isBetween(1, 60);
        assertThat(Integer.parseInt(xpath.evaluate(
                        "/clickhouse/profiles/grafana_readonly/constraints/max_execution_time/max", users)))
                .isBetween(1, 60);
        assertThat(xpath.evaluate("count(/clickhouse/users/default)", users)).isEqualTo("0");
    }

    /**
     * The SQL without the ledger's statements, after checking there is one record per file (with {@code cat} as the
     * client, the ledger never answers, so every file runs; SchemaMigrationsIntegrationTests runs the script against
     * the engine and its ledger).
     */
    private static String withoutLedger(String sql) {
        String ledger = SchemaMigrations.LEDGER;
        assertThat(sql.lines().filter(line -> line.startsWith("INSERT INTO " + ledger + " (file, checksum) VALUES")))
                .hasSameSizeAs(SchemaMigrations.fromDirectory(SCHEMA).scripts());
        return sql.lines()
                .filter(line -> !line.startsWith("CREATE TABLE IF NOT EXISTS " + ledger)
                        && !line.startsWith("INSERT INTO " + ledger))
                .map(line -> line + "\n")
                .collect(Collectors.joining());
    }

    private static String run(ProcessBuilder script) throws IOException, InterruptedException {
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return output;
    }
}
