package io.chanalytics.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one runner of every benchmark ({@code scripts/bench.sh}): the micro benchmarks through JMH (forks, warm-up,
 * error bars), the scenarios each in a JVM of its own (the embedded ClickHouse engine is one per process). With
 * {@code --quick} every benchmark runs in seconds, to prove it still runs, with figures that mean nothing.
 * {@code --without-stack} leaves out the scenarios that start the whole embedded stack (one to three minutes each
 * even under --quick): the rest prove they run in about two minutes.
 *
 * <pre>
 *   Bench [name ...] [--quick] [--without-stack]    no name: all of them, in the order below
 *   Bench --list                                    the names
 * </pre>
 */
public final class Bench {

    /** A benchmark by its name on the command line. */
    private sealed interface Entry permits Micro, Scenario {}

    /** JMH benchmarks of one class; {@code quickBatch} is the batch size of single-shot ones under --quick. */
    private record Micro(Class<?> benchmark, int quickBatch) implements Entry {}

    /**
     * A program with a {@code main(String[])} that prints its own figures and takes {@code --quick};
     * {@code startsStack}: it starts the whole embedded stack (services, PostgreSQL, broker, ClickHouse).
     */
    private record Scenario(Class<?> program, boolean startsStack) implements Entry {
        Scenario(Class<?> program) {
            this(program, false);
        }
    }

    private static final Map<String, Entry> BENCHMARKS = new LinkedHashMap<>();

    static {
        BENCHMARKS.put("publish-path", new Micro(PublishPathBenchmark.class, 20));
        BENCHMARKS.put("serializer", new Micro(SerializerBenchmark.class, 0));
        BENCHMARKS.put("rate-limiter", new Micro(RateLimiterBenchmark.class, 0));
        BENCHMARKS.put("publisher-throughput", new Scenario(PublisherThroughputBenchmark.class));
        BENCHMARKS.put("ingestion-freshness", new Scenario(IngestionFreshnessBenchmark.class));
        BENCHMARKS.put("dashboards-storage", new Scenario(DashboardStorageBenchmark.class));
        BENCHMARKS.put("reconciliation", new Scenario(ReconciliationBenchmark.class));
        BENCHMARKS.put("sharded-writes", new Scenario(ShardedWriteBenchmark.class));
        BENCHMARKS.put("memory", new Scenario(StackMemoryBenchmark.class, true));
        BENCHMARKS.put("service-load", new Scenario(ServiceLoadBenchmark.class, true));
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean withoutStack = List.of(args).contains("--without-stack");
        if (List.of(args).contains("--list")) {
            System.out.println(String.join(" ", BENCHMARKS.keySet()));
            return;
        }
        List<String> names = new ArrayList<>();
        for (String argument : args) {
            if (argument.equals("--quick") || argument.equals("--without-stack")) {
                continue;
            }
            if (!BENCHMARKS.containsKey(argument)) {
                System.err.println("bench: unknown benchmark " + argument + " (known: "
                        + String.join(", ", BENCHMARKS.keySet()) + ")");
                System.exit(2);
            }
            names.add(argument);
        }
        if (names.isEmpty()) {
            names.addAll(BENCHMARKS.keySet());
        }
        if (withoutStack) {
            List<String> left = names.stream()
                    .filter(name -> BENCHMARKS.get(name) instanceof Scenario scenario && scenario.startsStack())
                    .toList();
            names.removeAll(left);
            System.out.println("== left out (--without-stack, they start the whole stack): " + String.join(", ", left));
        }
        int failed = 0;
        for (String name : names) {
            System.out.println("== " + name + (quick ? " --quick" : ""));
            long started = System.nanoTime();
            boolean passed = switch (BENCHMARKS.get(name)) {
                case Micro micro -> runMicro(micro, quick);
                case Scenario scenario -> runScenario(scenario, quick);
            };
            failed += passed ? 0 : 1;
            // What each costs, so that a pass that outgrows CI's time says which benchmark to make cheaper.
            System.out.printf(
                    Locale.ROOT,
                    "== %s %s in %.0f s%n",
                    name,
                    passed ? "ran" : "FAILED",
                    (System.nanoTime() - started) / 1e9);
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static boolean runMicro(Micro micro, boolean quick) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(micro.benchmark().getName() + "\\.")
                .shouldFailOnError(true);
        if (quick) {
            options.forks(1)
                    .warmupIterations(1)
                    .measurementIterations(2)
                    .warmupTime(TimeValue.milliseconds(300))
                    .measurementTime(TimeValue.milliseconds(300));
            if (micro.quickBatch() > 0) {
                options.warmupBatchSize(micro.quickBatch()).measurementBatchSize(micro.quickBatch());
            }
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        printPerCall(results);
        return !results.isEmpty();
    }

    /** Single-shot scores are per batch: the time per call, and each benchmark against the first one. */
    private static void printPerCall(Collection<RunResult> results) {
        Double first = null;
        for (RunResult result : results) {
            var params = result.getParams();
            double score = result.getPrimaryResult().getScore();
            double perCall = params.getMode() == org.openjdk.jmh.annotations.Mode.SingleShotTime
                    ? score / params.getMeasurement().getBatchSize()
                    : score;
            first = first == null ? perCall : first;
            System.out.printf(
                    Locale.ROOT,
                    "%-40s %12.4f %s/call  x%.1f%n",
                    params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1),
                    perCall,
                    result.getPrimaryResult().getScoreUnit().replace("/op", ""),
                    perCall / first);
        }
    }

    /** The scenario in a JVM of its own, with this JVM's classpath and the flags the engine and Kafka need. */
    private static boolean runScenario(Scenario scenario, boolean quick) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-Xmx") || argument.startsWith("-D"))
                .toList());
        command.addAll(List.of(
                "-classpath",
                System.getProperty("java.class.path"),
                scenario.program().getName()));
        if (quick) {
            command.add("--quick");
        }
        return new ProcessBuilder(command).inheritIO().start().waitFor() == 0;
    }
}
