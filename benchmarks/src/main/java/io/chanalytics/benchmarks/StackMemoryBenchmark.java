package io.chanalytics.benchmarks;

import io.chanalytics.metrics.web.CallerHeaders;
import io.chanalytics.stack.EmbeddedStack;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackSettings;
import io.chanalytics.stack.keycloak.KeycloakSettings;
import io.chanalytics.stack.keycloak.PasswordGrant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Benchmark 8 (docs/benchmarks.md): the memory of the whole embedded stack (this JVM with Kafka, the registry and
 * ClickHouse; both service JVMs; PostgreSQL's processes; Keycloak, Prometheus and Alertmanager where they run) at idle and under load at the default simulation's rate (50
 * requests/s over the simulator's endpoints). Memory is each process's proportional set size (PSS, from
 * {@code /proc/<pid>/smaps_rollup}), so pages the processes share are counted once, and the sum is what the stack
 * costs the machine.
 */
public final class StackMemoryBenchmark {

    private static final int RATE = 50;
    private static final String STACK_JVM = "stack JVM (Kafka, registry, ClickHouse)";

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Duration idle = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(60);
        Duration load = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(120);
        Path data = Files.createTempDirectory("chanalytics-bench-memory");
        Map<String, String> environment = new HashMap<>();
        environment.put("CHANALYTICS_DATA_DIR", data.toString());
        environment.putAll(StackSettings.freePortVariables());
        StackSettings settings = StackSettings.fromEnvironment(environment::get, RepositoryLayout.root());
        try (EmbeddedStack stack = EmbeddedStack.start(settings)) {
            LockSupport.parkNanos(idle.toNanos());
            Map<String, Long> atIdle = memory(data);
            long requests = load(settings, load);
            Map<String, Long> underLoad = memory(data);
            System.out.printf(
                    Locale.ROOT,
                    "Memory (8): the embedded stack's processes, PSS in MiB (%d cores, max heap of this JVM %d MiB)%n",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "%-42s %10s %12s%n", "process", "idle", "under load");
            for (String process : atIdle.keySet()) {
                System.out.printf(
                        Locale.ROOT,
                        "%-42.42s %10d %12d%n",
                        process,
                        atIdle.get(process) >> 10,
                        underLoad.getOrDefault(process, 0L) >> 10);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-42s %10d %12d%n(idle %d s, then %,d requests at %d/s for %d s)%n",
                    "total",
                    total(atIdle) >> 10,
                    total(underLoad) >> 10,
                    idle.toSeconds(),
                    requests,
                    RATE,
                    load.toSeconds());
        }
    }

    /** The simulator's mix (catalog reads, a product, the cart) at a steady rate, open model. */
    private static long load(StackSettings settings, Duration duration) {
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI crud = URI.create("http://127.0.0.1:" + settings.crudApiPort());
        URI ecommerce = URI.create("http://127.0.0.1:" + settings.ecommerceApiPort());
        List<URI> targets = List.of(
                crud.resolve("/products"),
                crud.resolve("/products/1"),
                crud.resolve("/users"),
                ecommerce.resolve("/cart"));
        // Signed in as the realm's admin (every route open to it) when the stack signs callers in, as it does by
        // default.
        KeycloakSettings keycloak = settings.keycloak();
        String authorization = keycloak.enabled() ? "Bearer " + PasswordGrant.demoUser(keycloak, "admin") : null;
        var answered = new AtomicLong();
        long started = System.nanoTime();
        long total = duration.toSeconds() * RATE;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long due = started + i * 1_000_000_000L / RATE;
                LockSupport.parkNanos(due - System.nanoTime());
                URI target = targets.get((int) (i % targets.size()));
                pool.submit(() -> {
                    HttpRequest.Builder request =
                            HttpRequest.newBuilder(target).header(CallerHeaders.SESSION_HEADER, "memory-benchmark");
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    } else {
                        request.header(CallerHeaders.USER_HEADER, "user-" + (target.hashCode() & 63));
                    }
                    http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                    return answered.incrementAndGet();
                });
            }
        }
        return answered.get();
    }

    /**
     * PSS in KiB of this JVM and every process it started: the services are its children; PostgreSQL's server
     * detaches (pg_ctl), so its processes are found by the data directory on their command line.
     */
    private static Map<String, Long> memory(Path data) {
        Map<String, Long> memory = new java.util.LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.current();
        Stream<ProcessHandle> postgres = ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .commandLine()
                        .filter(command -> command.contains(data.toString()) && command.contains("postgres"))
                        .isPresent())
                .flatMap(server -> Stream.concat(Stream.of(server), server.descendants()));
        Stream.concat(Stream.concat(Stream.of(self), self.descendants()), postgres)
                .distinct()
                .forEach(process -> {
                    long pss = pss(process.pid());
                    if (pss > 0) {
                        String command = process.info().commandLine().orElse("?");
                        String name = process.pid() == self.pid() ? STACK_JVM : partOf(command);
                        memory.merge(name, pss, Long::sum);
                    }
                });
        return memory;
    }

    /** The part a child process belongs to, by its command line (the shells that watch a program count with it). */
    private static String partOf(String command) {
        if (command.contains("crud-api")) {
            return "crud-api JVM";
        }
        if (command.contains("ecommerce-api")) {
            return "ecommerce-api JVM";
        }
        if (command.contains("keycloak")) {
            return "Keycloak (sign-in)";
        }
        if (command.contains("alertmanager")) {
            return "Alertmanager";
        }
        if (command.contains("prometheus")) {
            return "Prometheus";
        }
        return "PostgreSQL (all processes)";
    }

    private static long pss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup")).stream()
                    .filter(line -> line.startsWith("Pss:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D+", "")))
                    .sum();
        } catch (IOException | RuntimeException e) {
            return 0; // the process ended meanwhile
        }
    }

    private static long total(Map<String, Long> memory) {
        return memory.values().stream().mapToLong(Long::longValue).sum();
    }
}
