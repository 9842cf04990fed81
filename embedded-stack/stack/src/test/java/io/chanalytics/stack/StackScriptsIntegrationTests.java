package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.stack.monitoring.MonitoringBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's scripts, driven for real on the embedded stack: start (returns once healthy), logs per service, reset
 * refused while running, stop (nothing left listening), reset, and a start again on empty data. Run by Failsafe
 * after {@code package}, because start.sh runs the packaged stack jar.
 */
class StackScriptsIntegrationTests {

    @TempDir
    static Path data;

    private static StackScripts scripts;

    @AfterAll
    static void stopWhateverRuns() throws Exception {
        if (scripts != null) {
            scripts.run("scripts/stop.sh");
        }
    }

    @Test
    void startLogsStopResetAndStartAgainOnEmptyData(TestReporter reporter) throws Exception {
        scripts = StackScripts.onFreePorts(data.resolve("stack"));
        int crudPort = scripts.settings().crudApiPort();

        StackScripts.Result started = scripts.run("scripts/start.sh", "--embedded", "--skip-build");
        reporter.publishEntry("start.sh", started.output());
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).contains("Embedded stack is up", "crud-api", "scripts/stop.sh");
        assertThat(StackScripts.listening(crudPort))
                .as("crud-api answers once start.sh returned")
                .isTrue();
        // What a newcomer runs next, at once: Prometheus has only just read its target files then.
        StackScripts.Result verified = scripts.run("scripts/verify-stack.sh");
        reporter.publishEntry("verify-stack.sh", verified.output());
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        // Sign-in is on by default: the newcomer's stack runs Keycloak and the verifier signs in.
        assertThat(verified.output()).containsPattern("keycloak realm +PASSED").containsPattern("sign-in +PASSED");
        if (MonitoringBinaries.find("prometheus").isPresent()
                && MonitoringBinaries.find("alertmanager").isPresent()) {
            assertThat(verified.output())
                    .containsPattern("prometheus targets +PASSED +7 up")
                    .containsPattern("prometheus sends to alertmanager +PASSED");
        }
        // The replay script reaches both Kafka and ClickHouse of the running stack (nothing was rejected here).
        StackScripts.Result replay = scripts.run("scripts/replay-ingest-errors.sh", "--topic", "request-events");
        assertThat(replay.exitCode()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("replay-ingest-errors: request-events", "nothing to replay");
        StackScripts.Result noTopic = scripts.run("scripts/replay-ingest-errors.sh", "--from", "6h");
        assertThat(noTopic.exitCode()).isEqualTo(2);
        assertThat(noTopic.output()).contains("--topic is required", "scripts/replay-ingest-errors.sh --help");
        assertThat(scripts.run("scripts/start.sh", "--embedded", "--skip-build").output())
                .as("a second start finds the first")
                .contains("already runs");

        StackScripts.Result crudLog = scripts.run("scripts/logs.sh", "crud-api");
        assertThat(crudLog.exitCode()).isZero();
        assertThat(crudLog.output()).contains("Started CrudApiApplication");
        assertThat(scripts.run("scripts/logs.sh", "kafka").output()).containsIgnoringCase("kafka");
        // Native access comes from the exec jars' manifests (Enable-Native-Access), not from a flag in each script:
        // without it the JVM warns on the engine's first FFM call and on the services' native transports.
        for (String log : List.of("stack", "crud-api", "ecommerce-api")) {
            assertThat(scripts.run("scripts/logs.sh", log).output())
                    .as(log + ".log")
                    .doesNotContain("restricted method");
        }
        assertThat(scripts.run("scripts/logs.sh").output()).contains("stack.log", "crud-api.log", "ecommerce-api.log");
        StackScripts.Result unknown = scripts.run("scripts/logs.sh", "nginx");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown service 'nginx'", "crud-api");

        StackScripts.Result refused = scripts.run("scripts/reset-data.sh", "--yes");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("stop it first with scripts/stop.sh");

        StackScripts.Result stopped = scripts.run("scripts/stop.sh");
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("stopped");
        assertThat(StackScripts.listening(crudPort))
                .as("nothing left on the crud-api port")
                .isFalse();
        assertThat(StackScripts.listening(scripts.settings().postgresPort()))
                .as("PostgreSQL stopped too")
                .isFalse();
        assertThat(StackScripts.listening(scripts.settings().monitoring().prometheusPort()))
                .as("Prometheus stopped too")
                .isFalse();
        assertThat(scripts.run("scripts/stop.sh").output()).contains("nothing is running");

        StackScripts.Result reset = scripts.run("scripts/reset-data.sh", "--yes");
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        assertThat(data.resolve("stack")).doesNotExist();

        StackScripts.Result again = scripts.run("scripts/start.sh", "--embedded", "--skip-build");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(StackScripts.listening(crudPort)).isTrue();
        // A second start of the same build runs from the AOT cache the first recorded as it stopped (ServiceStart).
        for (var service : scripts.recordedServices().entrySet()) {
            Path cache = ServiceStart.directoryFor(ServiceProcess.builtJar(service.getKey()))
                    .resolve("start.aot");
            assertThat(Files.readString(
                            Path.of("/proc", Long.toString(service.getValue().pid()), "maps")))
                    .as(service.getKey() + " maps its AOT cache")
                    .contains(cache.toString());
        }
        assertThat(scripts.run("scripts/stop.sh").exitCode()).isZero();
        assertThat(StackScripts.listening(crudPort)).isFalse();
    }

    @Test
    void everyScriptExplainsItselfAndRefusesUnknownOptions() throws Exception {
        var scripts = StackScripts.onFreePorts(data.resolve("help"));
        for (String script : List.of(
                "scripts/start.sh",
                "scripts/run-stack.sh",
                "scripts/stop.sh",
                "scripts/logs.sh",
                "scripts/reset-data.sh",
                "scripts/bench.sh")) {
            StackScripts.Result help = scripts.run(script, "--help");
            assertThat(help.exitCode()).as(script).isZero();
            assertThat(help.output()).as(script + " --help").contains("Usage: " + script);
            assertThat(scripts.run(script, "--bogus").exitCode())
                    .as(script + " --bogus")
                    .isEqualTo(2);
        }
    }
}
