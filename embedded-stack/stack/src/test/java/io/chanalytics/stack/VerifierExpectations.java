package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.chanalytics.stack.verify.StackVerifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.TestReporter;

/**
 * What scripts/verify-stack.sh must find on a stack without Grafana and Kafka UI, whichever backend runs it: the
 * embedded stack (EmbeddedStackIntegrationTests) or the compose images under Testcontainers
 * (ContainerStackIntegrationTests). One list of expectations, so both backends are held to the same checks.
 */
public final class VerifierExpectations {

    private VerifierExpectations() {}

    /** The verifier's view of a stack described by {@code settings}; nothing listens on the two UI ports. */
    public static StackVerifier.Target target(StackSettings settings, int grafanaPort, int kafkaUiPort) {
        var uiPorts = Map.of(
                "GRAFANA_PORT", Integer.toString(grafanaPort),
                "KAFKA_UI_PORT", Integer.toString(kafkaUiPort));
        return StackVerifier.Target.of(
                settings, "127.0.0.1", StackEnvironment.of(uiPorts::get, RepositoryLayout.root()));
    }

    /** Runs the verifier: nothing fails, the UI tools are reported as not checked, everything else passed. */
    public static List<StackVerifier.Check> verifierPasses(StackVerifier.Target target, TestReporter reporter) {
        List<StackVerifier.Check> checks = new StackVerifier(target).run();

        reporter.publishEntry("verify-stack", "\n" + StackVerifier.table(checks));
        System.out.println("verify-stack:\n" + StackVerifier.table(checks));
        assertThat(checks)
                .as(StackVerifier.table(checks))
                .noneMatch(check -> check.outcome() == StackVerifier.Outcome.FAILED);
        assertThat(checks)
                .extracting(StackVerifier.Check::name, StackVerifier.Check::outcome)
                .contains(
                        tuple("grafana", StackVerifier.Outcome.NOT_CHECKED),
                        tuple("kafka-ui", StackVerifier.Outcome.NOT_CHECKED),
                        tuple("kafka topics", StackVerifier.Outcome.PASSED),
                        tuple("clickhouse schema", StackVerifier.Outcome.PASSED),
                        tuple("request_metrics = requests sent", StackVerifier.Outcome.PASSED),
                        tuple("request rollup = raw rows", StackVerifier.Outcome.PASSED),
                        tuple("ORDER_PLACED = PostgreSQL order", StackVerifier.Outcome.PASSED),
                        tuple("dashboard panels (SQL on ClickHouse)", StackVerifier.Outcome.PASSED));
        return checks;
    }
}
