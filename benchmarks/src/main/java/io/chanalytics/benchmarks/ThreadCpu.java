package io.chanalytics.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads grouped by name (digits dropped, so a pool's threads add up), from
 * {@code /proc/self/task}: the embedded engine's native threads (librdkafka, the Kafka engine's stream, merges) and
 * the JVM's (the broker) share one process, and this is what says which of them a benchmark's time goes to, where a
 * Java profiler sees only the JVM's and the engine's library has no symbols for perf.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ, 100 on Linux x86-64

    private final Map<String, Long> ticksByGroup;

    private ThreadCpu(Map<String, Long> ticksByGroup) {
        this.ticksByGroup = ticksByGroup;
    }

    static ThreadCpu snapshot() {
        Map<String, Long> ticks = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    ticks.merge(name.replaceAll("[0-9]+", "#"), ticks(stat), Long::sum);
                } catch (IOException | RuntimeException exited) {
                    // the thread ended between the listing and the read: its time is gone from both snapshots
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + TASKS, e);
        }
        return new ThreadCpu(ticks);
    }

    /**
     * utime + stime, in clock ticks, of a {@code /proc/<pid>/stat} or {@code /proc/<pid>/task/<tid>/stat} line (fields
     * 14 and 15). The name before them is in parentheses and may hold spaces, so fields are counted after the last ')'.
     */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The groups that used the most CPU since {@code before}, as {@code name 1.2 s} pairs, and the total. */
    String since(ThreadCpu before, int top) {
        Map<String, Long> used = new HashMap<>();
        ticksByGroup.forEach((group, ticks) -> {
            long delta = ticks - before.ticksByGroup.getOrDefault(group, 0L);
            if (delta > 0) {
                used.put(group, delta);
            }
        });
        long total = used.values().stream().mapToLong(Long::longValue).sum();
        return String.format(Locale.ROOT, "%.1f s CPU: ", total / TICKS_PER_SECOND)
                + used.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(top)
                        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue() / TICKS_PER_SECOND))
                        .collect(Collectors.joining(", "));
    }
}
