package io.chanalytics.benchmarks;

import io.chanalytics.metrics.web.CallerHeaders;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-model load generator, run in a JVM of its own so its CPU is its own: operations start at a fixed rate
 * whatever the answers do, and each latency counts from when the operation was due (no coordinated omission).
 * Prints one line, {@code key=value} pairs, that {@link ServiceLoadBenchmark} reads.
 *
 * <p>Arguments: {@code product <baseUri> <rate> <seconds>} (GET /products/{id} over ids 1..200) or
 * {@code checkout <baseUri> <rate> <seconds>} (add a product to a fresh user's cart, then check out).
 */
public final class LoadGenerator {

    public static void main(String[] args) {
        String mode = args[0];
        URI base = URI.create(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        var http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        // Two seconds at the same rate first, not counted: this JVM's and its HTTP client's own warm-up.
        run(http, mode, base, rate, 2, new ArrayList<>(), new AtomicLong(), "warmup");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        var errors = new AtomicLong();
        long total = (long) rate * seconds;
        long cpuBefore = cpuNanos();
        long started = System.nanoTime();
        run(http, mode, base, rate, seconds, latencies, errors, mode);
        double wall = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "RESULT offered=%d answered=%d errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f wall_s=%.2f"
                        + " cpu_share=%.3f%n",
                total,
                sorted.size(),
                errors.get(),
                percentile(sorted, 0.50),
                percentile(sorted, 0.99),
                percentile(sorted, 1.0),
                wall,
                (cpuNanos() - cpuBefore) / 1e9 / wall / Runtime.getRuntime().availableProcessors());
    }

    private static void run(
            HttpClient http,
            String mode,
            URI base,
            int rate,
            int seconds,
            List<Long> latencies,
            AtomicLong errors,
            String users) {
        long total = (long) rate * seconds;
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var random = new SplittableRandom(42);
            for (long i = 0; i < total; i++) {
                long due = started + i * 1_000_000_000L / rate;
                LockSupport.parkNanos(due - System.nanoTime());
                long product = 1 + random.nextInt(200);
                String user = "load-" + users + "-" + i;
                pool.submit(() -> {
                    boolean ok = mode.equals("product")
                            ? send(http, get(base.resolve("/products/" + product), user))
                            : send(
                                            http,
                                            post(
                                                    base.resolve("/cart"),
                                                    user,
                                                    "{\"productId\":" + product + ",\"quantity\":1}"))
                                    && send(http, post(base.resolve("/checkout"), user, ""));
                    if (ok) {
                        latencies.add(System.nanoTime() - due);
                    } else {
                        errors.incrementAndGet();
                    }
                });
            }
        }
    }

    private static HttpRequest.Builder get(URI uri, String user) {
        return HttpRequest.newBuilder(uri).header(CallerHeaders.USER_HEADER, user);
    }

    private static HttpRequest.Builder post(URI uri, String user, String json) {
        return HttpRequest.newBuilder(uri)
                .header(CallerHeaders.USER_HEADER, user)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** A 5xx or no answer is an error; 4xx (a product out of stock) is the service answering. */
    private static boolean send(HttpClient http, HttpRequest.Builder request) {
        try {
            int status = http.send(
                            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            return status < 500;
        } catch (Exception e) {
            return false;
        }
    }

    private static double percentile(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size()))) / 1e6;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
