package io.chanalytics.stack.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own tools in the tests (Debian's prometheus and prometheus-alertmanager packages, which .ci/run
 * installs): a test that needs one is skipped with a reason where it is missing, and fails in CI.
 */
public final class PrometheusTools {

    private PrometheusTools() {}

    /** The tool's path, or the test is skipped (failed in CI) because it is not installed. */
    public static String require(String tool) {
        return require(tool, "prometheus, prometheus-alertmanager");
    }

    /** The same for any program of Debian's {@code packages} that the tests run (nginx too). */
    public static String require(String tool, String packages) {
        var found = MonitoringBinaries.find(tool);
        if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(tool + " is not installed, and CI must run it (.ci/run installs it)");
        }
        assumeTrue(found.isPresent(), tool + " is not installed (Debian: " + packages + ")");
        return found.orElseThrow().toString();
    }

    public record Result(int exitCode, String output) {}

    /** Runs one of the tools ({@code command[0]}) and returns its exit code and output. */
    public static Result run(String... command) throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of(command));
        line.set(0, require(command[0]));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    /**
     * {@code promtool check metrics} on an exposition page: exit code 1 is a page Prometheus cannot parse; 3 only lint
     * remarks (ClickHouse's own names, such as counters without {@code _total}, draw them from the real server too).
     */
    public static Result checkMetrics(String page) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(require("promtool"), "check", "metrics"))
                .redirectErrorStream(true)
                .start();
        try (var input = process.getOutputStream()) {
            input.write(page.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
