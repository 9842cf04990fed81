package io.chanalytics.stack.verify;

import static io.chanalytics.stack.verify.StackHttp.basic;
import static io.chanalytics.stack.verify.StackHttp.rootMessage;

import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SqlScript;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.stack.verify.StackHttp.Answer;
import io.chanalytics.stack.verify.StackVerifier.Outcome;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Does every part answer: the services, Kafka's topics, the registry, ClickHouse and its consumers, the UI tools. */
record ComponentChecks(StackHttp http, CheckList checks) {

    private StackVerifier.Target target() {
        return http.target();
    }

    boolean ready(String name, URI base) {
        Answer answer = http.get(base.resolve("/actuator/health/readiness"), Map.of());
        return checks.add(name + " ready", answer.status() == 200, answer.describe());
    }

    void kafkaTopics() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, target().bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(config)) {
            var topics = admin.describeTopics(EventTopics.DEFAULTS.all())
                    .allTopicNames()
                    .get(15, TimeUnit.SECONDS);
            StringBuilder detail = new StringBuilder();
            topics.forEach((name, description) -> detail.append(name)
                    .append(" (")
                    .append(description.partitions().size())
                    .append(" partitions) "));
            checks.add(
                    "kafka topics",
                    topics.keySet().containsAll(EventTopics.DEFAULTS.all()),
                    detail.toString().strip());
        } catch (Exception e) {
            checks.add("kafka topics", false, target().bootstrapServers() + ": " + rootMessage(e));
        }
    }

    void registrySubjects() {
        Answer answer = http.get(target().schemaRegistry().resolve("/subjects"), Map.of());
        List<String> expected =
                EventTopics.DEFAULTS.all().stream().map(EventTopics::subjectOf).toList();
        boolean all = answer.status() == 200 && expected.stream().allMatch(answer.body()::contains);
        checks.add("schema registry subjects", all, answer.status() == 200 ? answer.body() : answer.describe());
    }

    boolean clickHouse() {
        Answer ping = http.get(target().clickHouse().resolve("/ping"), Map.of());
        if (!checks.add("clickhouse ping", ping.status() == 200 && ping.body().startsWith("Ok."), ping.describe())) {
            return false;
        }
        // Every schema file of this checkout in the ledger both runners keep: a compose volume made before a file was
        // added shows here until the server's next start applies it.
        List<String> files = SchemaMigrations.fromClasspath().scripts().stream()
                .map(SqlScript::name)
                .toList();
        Answer ledger = http.query("SELECT DISTINCT file FROM " + SchemaMigrations.LEDGER);
        Set<String> applied =
                ledger.ok() ? ledger.text().lines().map(String::strip).collect(Collectors.toSet()) : Set.of();
        long found = files.stream().filter(applied::contains).count();
        checks.add(
                "clickhouse schema",
                ledger.ok() && found == files.size(),
                "schema files applied: " + (ledger.ok() ? found : ledger.text()) + " of " + files.size() + " ("
                        + files.getLast() + " last)");
        Answer consumers = http.query("SELECT count(), countIf(arrayExists(t -> t > now() - 60, exceptions.time))"
                + " FROM system.kafka_consumers WHERE database = 'analytics'");
        String[] counts = consumers.ok() ? consumers.text().split("\t") : new String[] {"0", "?"};
        checks.add(
                "clickhouse kafka consumers",
                consumers.ok() && Integer.parseInt(counts[0]) >= 3 && counts[1].equals("0"),
                consumers.ok()
                        ? counts[0] + " consumers, " + counts[1] + " with an exception in the last minute"
                        : consumers.text());
        return true;
    }

    boolean grafana() {
        Answer health = http.get(target().grafana().resolve("/api/health"), Map.of());
        if (health.status() == 0) {
            checks.add("grafana", Outcome.NOT_CHECKED, "not running at " + target().grafana() + " (compose only)");
            return false;
        }
        checks.add("grafana health", health.status() == 200, health.describe());
        Answer datasource = http.get(
                target().grafana().resolve("/api/datasources/uid/clickhouse/health"),
                Map.of("Authorization", basic(target().grafanaUser(), target().grafanaPassword())));
        return checks.add("grafana clickhouse datasource", datasource.status() == 200, datasource.describe());
    }

    boolean kafkaUi() {
        Answer health = http.get(target().kafkaUi().resolve("/actuator/health"), Map.of());
        if (health.status() == 0) {
            checks.add("kafka-ui", Outcome.NOT_CHECKED, "not running at " + target().kafkaUi() + " (compose only)");
            return false;
        }
        return checks.add("kafka-ui health", health.status() == 200, health.describe());
    }
}
