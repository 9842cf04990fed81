package io.chanalytics.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Saturating load from {@code wrk} (Debian's package, installed by {@code .ci/run}): a native generator, so that at
 * saturation the machine's cycles go to the service and not to a JVM generating the load. {@code GET /products/{id}}
 * over ids 1..200, each request as another user (the rate limits count per user, as {@link LoadGenerator} does). The
 * generator's own CPU time is measured too ({@code times} in the shell that ran it), and reported.
 */
final class WrkLoad {

    private static final String SCRIPT = """
            local n = 0
            request = function()
              n = n + 1
              return wrk.format("GET", "/products/" .. math.random(1, 200), {["X-User-Id"] = "wrk-" .. n})
            end
            """;

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m),");
    private static final Pattern P99 = Pattern.compile("\\n\\s*99%\\s+([\\d.]+)(us|ms|s)\\b");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    // bash's `times`: the shell's user and system time, then its children's (wrk's).
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s\\s*$");

    private final Path wrk;
    private final Path script;

    private WrkLoad(Path wrk, Path script) {
        this.wrk = wrk;
        this.script = script;
    }

    /** wrk from the PATH, or empty when it is not installed. */
    static Optional<WrkLoad> find() throws IOException {
        Optional<Path> wrk = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(dir -> Path.of(dir, "wrk"))
                .filter(Files::isExecutable)
                .findFirst();
        if (wrk.isEmpty()) {
            return Optional.empty();
        }
        Path script = Files.createTempFile("chanalytics-wrk", ".lua");
        Files.writeString(script, SCRIPT);
        script.toFile().deleteOnExit();
        return Optional.of(new WrkLoad(wrk.get(), script));
    }

    /**
     * One run.
     *
     * @param requests answered requests (socket errors and non-2xx/3xx answers excluded)
     * @param seconds the run's length as wrk measured it
     * @param p99Ms wrk's 99th percentile latency (closed model: saturation, not a service-level figure)
     * @param generatorCpuSeconds wrk's user + system time
     */
    record Result(long requests, double seconds, double p99Ms, long failed, double generatorCpuSeconds) {

        double rate() {
            return requests / seconds;
        }

        /** The generator's share of the whole machine over the run. */
        double generatorShare() {
            return generatorCpuSeconds / seconds / Runtime.getRuntime().availableProcessors();
        }
    }

    Result run(URI target, int connections, int seconds) throws Exception {
        // The values travel as the shell's positional parameters, never as part of its script.
        Process process = new ProcessBuilder(
                        "bash",
                        "-c",
                        "\"$1\" -t1 -c\"$2\" -d\"$3\"s --latency -s \"$4\" \"$5\"; status=$?; times; exit $status",
                        "wrk-load",
                        wrk.toString(),
                        Integer.toString(connections),
                        Integer.toString(seconds),
                        script.toString(),
                        target.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher requests = find(REQUESTS, output);
        Matcher p99 = find(P99, output);
        Matcher times = find(TIMES, output);
        long failed = 0;
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            failed += Long.parseLong(non2xx.group(1));
        }
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                failed += Long.parseLong(socket.group(group));
            }
        }
        return new Result(
                Long.parseLong(requests.group(1)) - failed,
                seconds(requests.group(2), requests.group(3)),
                seconds(p99.group(1), p99.group(2)) * 1000,
                failed,
                Integer.parseInt(times.group(3)) * 60 + Double.parseDouble(times.group(4)));
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("No " + pattern + " in wrk's output: " + output);
        }
        return matcher;
    }

    private static double seconds(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number / 1e6;
            case "ms" -> number / 1e3;
            case "m" -> number * 60;
            default -> number;
        };
    }
}
