package io.chanalytics.monitoring;

import static io.chanalytics.monitoring.MonitoringFiles.ALERTMANAGER;
import static io.chanalytics.monitoring.MonitoringFiles.RULES;
import static io.chanalytics.monitoring.MonitoringFiles.RULE_TESTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files as Prometheus and Alertmanager read them, by their own checkers (Debian's prometheus and
 * prometheus-alertmanager packages, which .ci/run installs): the configuration, the rules, the rules' unit tests (each
 * alert fires on the series that should fire it and stays quiet on a healthy one), Alertmanager's routing. Skipped
 * with a reason where the tools are missing, never in CI.
 */
class MonitoringConfigTests {

    /**
     * The rules, on their own. prometheus.yml reads its targets from the mode's file_sd files, so promtool checks it
     * laid out as each mode has it: compose's in compose-tests (MonitoringComposeTests, both files), the embedded
     * stack's in its module (MonitoringLayoutTests).
     */
    @Test
    void prometheusAcceptsTheRules() throws Exception {
        Result rules = run("promtool", "check", "rules", RULES.toString());
        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output())
                .contains("SUCCESS: " + MonitoringFiles.alerts().size() + " rules found");
    }

    @Test
    void everyAlertFiresOnItsFaultAndStaysQuietWhenHealthy() throws Exception {
        Result tests = run(
                RULE_TESTS.getParent(),
                "promtool",
                "test",
                "rules",
                RULE_TESTS.getFileName().toString());
        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
        String unitTests = Files.readString(RULE_TESTS);
        for (MonitoringFiles.Alert alert : MonitoringFiles.alerts()) {
            assertThat(unitTests)
                    .as("%s fires in a unit test", alert.name())
                    .containsPattern("alertname: " + alert.name() + "\\s+exp_alerts:\\s+- exp_labels");
        }
    }

    @Test
    void alertmanagerAcceptsItsRouting() throws Exception {
        Result check = run("amtool", "check-config", ALERTMANAGER.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS", "2 inhibit rules");
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        return run(MonitoringFiles.MODULE, command);
    }

    private static Result run(Path directory, String... command) throws IOException, InterruptedException {
        boolean installed = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command[0])));
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(command[0] + " is not installed, and CI must run it (.ci/run installs it)");
        }
        assumeTrue(installed, command[0] + " is not installed (Debian: prometheus, prometheus-alertmanager)");
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command)))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
