package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What runs outside the stack's JVM, recorded in its data directory so that a stack which died without stopping them
 * (SIGKILL, the OOM killer, a native crash) leaves nothing that the next start or {@code scripts/stop.sh} cannot find:
 * the stack's own pid and its services' (file {@value #FILE}), and PostgreSQL's, from the pid file PostgreSQL keeps in
 * its data directory. Each pid is kept with its process's start time, so a recycled pid is never taken for a part.
 */
public final class StackParts {

    static final String FILE = "stack-parts.pid";
    private static final String STACK = "stack";
    private static final String POSTGRES = "PostgreSQL";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path file;
    private final Path postgresData;

    private StackParts(Path dataDirectory) {
        this.file = dataDirectory.resolve(FILE);
        this.postgresData = dataDirectory.resolve("postgres");
    }

    public static StackParts in(Path dataDirectory) {
        return new StackParts(dataDirectory);
    }

    /** A part that runs, as recorded: its name, pid and start time (to the second). */
    public record Part(String name, long pid, Instant started) {

        static Part of(String name, ProcessHandle process) {
            return new Part(name, process.pid(), startOf(process).orElse(Instant.EPOCH));
        }

        String line() {
            return name + " " + pid + " " + started.getEpochSecond();
        }

        static Part parse(String line) {
            String[] fields = line.strip().split(" ");
            return new Part(fields[0], Long.parseLong(fields[1]), Instant.ofEpochSecond(Long.parseLong(fields[2])));
        }

        /** The process, while it is this part: alive with the recorded start time. */
        Optional<ProcessHandle> process() {
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> startOf(handle).map(started::equals).orElse(false));
        }

        @Override
        public String toString() {
            return name + " (pid " + pid + ")";
        }
    }

    /** A new record for this stack: this JVM first, replacing whatever an earlier stack had recorded. */
    public void recordStack() {
        write(Part.of(STACK, ProcessHandle.current()).line() + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Adds a part that runs as a process of its own. */
    public void record(String name, ProcessHandle process) {
        write(Part.of(name, process).line() + "\n", StandardOpenOption.APPEND);
    }

    /**
     * After a clean stop: nothing of this stack runs any more. Only this JVM's record goes: a stack refused at start
     * because another runs on the same directory leaves that one's.
     */
    public void clear() {
        boolean ours = recorded().stream()
                .anyMatch(part -> part.name().equals(STACK)
                        && part.pid() == ProcessHandle.current().pid());
        if (ours) {
            deleteRecord();
        }
    }

    private void deleteRecord() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }

    /** The recorded stack's JVM, while it runs. */
    public Optional<Part> runningStack() {
        return recorded().stream()
                .filter(part -> part.name().equals(STACK))
                .filter(part -> part.process().isPresent())
                .findFirst();
    }

    /**
     * The parts still running although the stack that started them is gone: its services, then PostgreSQL (whose
     * sessions the services hold). Nothing while the recorded stack itself runs.
     */
    public List<Part> leftovers() {
        if (runningStack().isPresent()) {
            return List.of();
        }
        List<Part> leftovers = new ArrayList<>();
        for (Part part : recorded()) {
            if (!part.name().equals(STACK) && part.process().isPresent()) {
                leftovers.add(part);
            }
        }
        postgres().ifPresent(leftovers::add);
        return leftovers;
    }

    /**
     * Stops the {@link #leftovers()} in order, each as its own stop signal asks (SIGTERM: a service closes gracefully,
     * PostgreSQL shuts down once its sessions are gone), forcibly after {@link #STOP_TIMEOUT}; then forgets
     * the record. Returns what it stopped.
     */
    public List<Part> stopLeftovers() {
        List<Part> leftovers = leftovers();
        for (Part part : leftovers) {
            part.process().ifPresent(StackParts::stop);
        }
        if (runningStack().isEmpty()) {
            deleteRecord();
        }
        return leftovers;
    }

    private static void stop(ProcessHandle process) {
        CompletableFuture<ProcessHandle> exited = process.onExit();
        process.destroy();
        try {
            exited.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot wait for process " + process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The PostgreSQL server of this data directory, from its own pid file (first line the postmaster's pid, second
     * its data directory, third its start time in seconds since the epoch), when it still runs.
     */
    private Optional<Part> postgres() {
        Path pidFile = postgresData.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = lines(pidFile);
        if (lines.size() < 3) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(lines.get(0).strip());
            long started = Long.parseLong(lines.get(2).strip());
            // PostgreSQL writes its start time itself: allow for the moments between the fork and that write.
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> startOf(handle)
                            .map(start -> Math.abs(start.getEpochSecond() - started) <= 2)
                            .orElse(false))
                    .map(handle -> Part.of(POSTGRES, handle));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every part recorded, running or not. */
    List<Part> recorded() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Part> parts = new ArrayList<>();
        for (String line : lines(file)) {
            if (!line.isBlank()) {
                parts.add(Part.parse(line));
            }
        }
        return parts;
    }

    private void write(String text, StandardOpenOption mode) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the stack's parts in " + file, e);
        }
    }

    private static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private static Optional<Instant> startOf(ProcessHandle process) {
        return process.info().startInstant().map(start -> start.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * For {@code scripts/stop.sh} once the stack's JVM is gone: {@code <data directory>}. Prints each part it stopped
     * and exits 0; exits 3 when the recorded stack still runs (the script stops that one first).
     */
    public static void main(String[] args) {
        StackParts parts = in(Path.of(args[0]));
        if (parts.runningStack().isPresent()) {
            System.out.println("the stack still runs: " + parts.runningStack().get());
            System.exit(3);
        }
        for (Part part : parts.stopLeftovers()) {
            System.out.println("stopped " + part);
        }
    }
}
