package io.chanalytics.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the service scenarios share: a {@link LoadGenerator} run in a JVM of its own, and a process's CPU time. */
final class LoadRuns {

    static final long CLOCK_TICKS_PER_SECOND = 100;

    private LoadRuns() {}

    /** Runs {@link LoadGenerator} in its own JVM and returns its result line's {@code key=value} pairs. */
    static Map<String, String> generate(String mode, URI target, int rate, int seconds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LoadGenerator.class.getName(),
                        mode,
                        target.toString(),
                        Integer.toString(rate),
                        Integer.toString(seconds))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("The load generator failed: " + output);
        }
        String line = output.lines()
                .filter(l -> l.startsWith("RESULT "))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No result from the load generator: " + output));
        Map<String, String> result = new HashMap<>();
        for (String pair : line.substring("RESULT ".length()).split(" ")) {
            String[] parts = pair.split("=", 2);
            result.put(parts[0], parts[1]);
        }
        return result;
    }

    /** utime + stime of a process, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        return ThreadCpu.ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** The stack's own child JVM running {@code name}, other than the {@code except} ones. */
    static long servicePid(String name, long... except) {
        return ProcessHandle.current()
                .children()
                .filter(p -> java.util.Arrays.stream(except).noneMatch(pid -> pid == p.pid()))
                .filter(p -> p.info().commandLine().orElse("").contains(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No " + name + " process"))
                .pid();
    }

    /** Service CPU per answered request and the p99 of one generator run against {@code target}. */
    record Run(double serviceCpuMicrosPerRequest, double p99) {}

    static Run measured(String mode, URI target, long servicePid, int rate, int seconds) throws Exception {
        long before = cpuTicks(servicePid);
        Map<String, String> result = generate(mode, target, rate, seconds);
        long ticks = cpuTicks(servicePid) - before;
        long answered = Long.parseLong(result.get("answered"));
        return new Run(
                ticks * 1_000_000.0 / CLOCK_TICKS_PER_SECOND / Math.max(1, answered),
                Double.parseDouble(result.get("p99_ms")));
    }

    /** A POST that must succeed (the demo catalogue). */
    static void post(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** Sets the stock of products 1 to {@code products} to {@code stock} (PUT of each product as it is, new stock). */
    static void restock(URI crudApi, int products, int stock) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int id = 1; id <= products; id++) {
            URI product = crudApi.resolve("/products/" + id);
            String body = http.send(HttpRequest.newBuilder(product).build(), HttpResponse.BodyHandlers.ofString())
                    .body()
                    .replaceFirst("\"stock\":\\d+", "\"stock\":" + stock);
            HttpResponse<String> updated = http.send(
                    HttpRequest.newBuilder(product)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (updated.statusCode() >= 300) {
                throw new IllegalStateException(
                        product + " answered " + updated.statusCode() + " to the restock: " + updated.body());
            }
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
