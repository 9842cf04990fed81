package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    private static final Map<String, String> ENVIRONMENT = new HashMap<>();

    @AfterAll
    static void stopWhateverRuns() throws Exception {
        run("scripts/stop.sh");
    }

    @Test
    void startLogsStopResetAndStartAgainOnEmptyData(TestReporter reporter) throws Exception {
        ports();
        ENVIRONMENT.put("CHANALYTICS_DATA_DIR", data.resolve("stack").toString());
        int crudPort = Integer.parseInt(ENVIRONMENT.get("CRUD_API_PORT"));

        Result started = run("scripts/start.sh", "--embedded", "--skip-build");
        reporter.publishEntry("start.sh", started.output());
        assertThat(started.exitCode()).as(started.output()).isZero();
        assertThat(started.output()).contains("Embedded stack is up", "crud-api", "scripts/stop.sh");
        assertThat(listening(crudPort))
                .as("crud-api answers once start.sh returned")
                .isTrue();
        assertThat(run("scripts/start.sh", "--embedded", "--skip-build").output())
                .as("a second start finds the first")
                .contains("already runs");

        Result crudLog = run("scripts/logs.sh", "crud-api");
        assertThat(crudLog.exitCode()).isZero();
        assertThat(crudLog.output()).contains("Started CrudApiApplication");
        assertThat(run("scripts/logs.sh", "kafka").output()).containsIgnoringCase("kafka");
        // Native access comes from the exec jars' manifests (Enable-Native-Access), not from a flag in each script:
        // without it the JVM warns on the engine's first FFM call and on the services' native transports.
        for (String log : List.of("stack", "crud-api", "ecommerce-api")) {
            assertThat(run("scripts/logs.sh", log).output()).as(log + ".log").doesNotContain("restricted method");
        }
        assertThat(run("scripts/logs.sh").output()).contains("stack.log", "crud-api.log", "ecommerce-api.log");
        Result unknown = run("scripts/logs.sh", "nginx");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("unknown service 'nginx'", "crud-api");

        Result refused = run("scripts/reset-data.sh", "--yes");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("stop it first with scripts/stop.sh");

        Result stopped = run("scripts/stop.sh");
        assertThat(stopped.exitCode()).as(stopped.output()).isZero();
        assertThat(stopped.output()).contains("stopped");
        assertThat(listening(crudPort)).as("nothing left on the crud-api port").isFalse();
        assertThat(listening(Integer.parseInt(ENVIRONMENT.get("POSTGRES_PORT"))))
                .as("PostgreSQL stopped too")
                .isFalse();
        assertThat(run("scripts/stop.sh").output()).contains("nothing is running");

        Result reset = run("scripts/reset-data.sh", "--yes");
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        assertThat(data.resolve("stack")).doesNotExist();

        Result again = run("scripts/start.sh", "--embedded", "--skip-build");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(listening(crudPort)).isTrue();
        assertThat(run("scripts/stop.sh").exitCode()).isZero();
        assertThat(listening(crudPort)).isFalse();
    }

    @Test
    void everyScriptExplainsItselfAndRefusesUnknownOptions() throws Exception {
        for (String script : List.of(
                "scripts/start.sh",
                "scripts/run-stack.sh",
                "scripts/stop.sh",
                "scripts/logs.sh",
                "scripts/reset-data.sh",
                "scripts/bench.sh")) {
            Result help = run(script, "--help");
            assertThat(help.exitCode()).as(script).isZero();
            assertThat(help.output()).as(script + " --help").contains("Usage: " + script);
            assertThat(run(script, "--bogus").exitCode())
                    .as(script + " --bogus")
                    .isEqualTo(2);
        }
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String script, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(RepositoryLayout.root().toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(ENVIRONMENT);
        // Never the compose path here, even on a machine with Docker: these checks are about the embedded side.
        builder.environment().put("STACK_MODE", "embedded");
        Process process = builder.start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(script + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }

    private static void ports() throws IOException {
        ENVIRONMENT.putAll(StackSettings.freePortVariables());
    }

    private static boolean listening(int port) {
        try (var socket = new Socket("127.0.0.1", port)) {
            return socket.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
