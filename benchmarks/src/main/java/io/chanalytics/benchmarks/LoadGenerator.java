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
 * Prints one line, {@code key=value} pairs, that the scenarios read. A {@code 429} (the rate limits) is counted as
 * refused, apart from the latencies of the accepted operations.
 *
 * <p>Arguments: {@code product <baseUri> <rate> <seconds>} (GET /products/{id} over ids 1..200, each request as
 * another user), {@code product-one-user <baseUri> <rate> <seconds>} (the same, all as one user) or
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
        // This JVM's and its HTTP client's own warm-up, not counted: a fresh JVM's first requests take tens of ms in
        // the client itself, which at 2 flows/s (40 in a step) was the step's p99 (57-61 ms, 2026-12-03, with flows
        // answered in 5-10 ms). First 400 health probes (neither recorded nor limited by the services), then two
        // seconds of the operation at the step's rate.
        warmClient(http, base.resolve("/actuator/health"), 400);
        // Then the operation itself, 200 times, four at a time: its POSTs and bodies are code the probes never ran
        // (2026-12-03: in one JVM kept across steps, a checkout step's p99 fell from 42 to 30 ms at 10 flows/s after
        // its first step).
        warmOperation(http, mode, base, 200);
        run(http, mode, base, rate, 2, new ArrayList<>(), new Tally(), "warmup");
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        var tally = new Tally();
        long total = (long) rate * seconds;
        long cpuBefore = cpuNanos();
        long started = System.nanoTime();
        run(http, mode, base, rate, seconds, latencies, tally, mode);
        double wall = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "RESULT offered=%d answered=%d refused=%d unavailable=%d errors=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
                        + " wall_s=%.2f cpu_share=%.3f%n",
                total,
                sorted.size() + tally.refused.get() + tally.unavailable.get(),
                tally.refused.get(),
                tally.unavailable.get(),
                tally.errors.get(),
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
            Tally tally,
            String users) {
        long total = (long) rate * seconds;
        long started = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var random = new SplittableRandom(42);
            for (long i = 0; i < total; i++) {
                long due = started + i * 1_000_000_000L / rate;
                LockSupport.parkNanos(due - System.nanoTime());
                long product = 1 + random.nextInt(200);
                String user = mode.equals("product-one-user") ? "load-one-user" : "load-" + users + "-" + i;
                pool.submit(() -> {
                    int status = operation(http, mode, base, user, product);
                    if (status == 429) {
                        tally.refused.incrementAndGet();
                    } else if (status >= 400 && status < 500) {
                        // A product out of stock: answered at add-to-cart in a few ms, it is not a flow.
                        tally.unavailable.incrementAndGet();
                    } else if (status > 0 && status < 400) {
                        latencies.add(System.nanoTime() - due);
                    } else {
                        tally.errors.incrementAndGet();
                    }
                });
            }
        }
    }

    /** {@code operations} of {@code mode}, four at a time, as fast as they are answered; not counted. */
    private static void warmOperation(HttpClient http, String mode, URI base, int operations) {
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < operations; i++) {
                long product = 1 + i % 200;
                String user = "load-warm-" + i;
                pool.submit(() -> operation(http, mode, base, user, product));
            }
        }
    }

    /** One operation of {@code mode} by {@code user}: a product read, or the checkout flow; its last status. */
    private static int operation(HttpClient http, String mode, URI base, String user, long product) {
        return mode.startsWith("product")
                ? send(http, get(base.resolve("/products/" + product), user))
                : checkout(http, base, user, product);
    }

    /** {@code requests} GETs of {@code uri}, eight at a time, answers discarded. */
    private static void warmClient(HttpClient http, URI uri, int requests) {
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < requests; i++) {
                pool.submit(() -> send(http, HttpRequest.newBuilder(uri)));
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

    /** Add to cart, then check out: the first status that is not a success, else checkout's. */
    private static int checkout(HttpClient http, URI base, String user, long product) {
        int added = send(http, post(base.resolve("/cart"), user, "{\"productId\":" + product + ",\"quantity\":1}"));
        return added >= 300 ? added : send(http, post(base.resolve("/checkout"), user, ""));
    }

    /**
     * The status, or 0 without an answer. A 5xx or none is an error, a 429 a refusal; other 4xx (a product out of
     * stock) is the service answering.
     */
    private static int send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    /** What did not go into the latencies: refused (429), unavailable (another 4xx) and failed operations. */
    private static final class Tally {
        final AtomicLong refused = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
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
