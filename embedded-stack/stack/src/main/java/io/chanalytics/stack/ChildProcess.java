package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the stack runs (a service, Prometheus, Alertmanager): its output in a log file, up once its readiness URL
 * answers 200, stopped with SIGTERM and, after a grace period, SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * Runs a program under a shell that ends it when this JVM is gone, however it ended (SIGKILL included), for
     * programs that cannot watch their parent themselves (the services do: api-support's ParentProcessWatch). The
     * shell passes SIGTERM on and waits for the program, so stopping the shell stops the program.
     */
    private static final String END_WITH_PARENT = "parent=$1; shift; \"$@\" & child=$!;"
            + " trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM INT;"
            + " while kill -0 \"$parent\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done;"
            + " kill -TERM $child 2>/dev/null; wait $child";

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Duration stopTimeout;

    private ChildProcess(String name, Process process, Path logFile, Duration stopTimeout) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.stopTimeout = stopTimeout;
    }

    /**
     * Starts {@code command} with {@code environment} added to this process's, its output in {@code logFile}; on
     * {@link #close()} it gets {@code stopTimeout} to end after SIGTERM.
     */
    public static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, Path logFile, Duration stopTimeout) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            return new ChildProcess(name, builder.start(), logFile, stopTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** {@code program} wrapped so that it ends with this JVM (see {@link #END_WITH_PARENT}). */
    public static List<String> endingWithThisProcess(String name, List<String> program) {
        List<String> command = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                END_WITH_PARENT,
                name,
                Long.toString(ProcessHandle.current().pid())));
        command.addAll(program);
        return command;
    }

    /** Waits until {@code ready} answers 200; fails early, with the log's end, when the process exits. */
    public void awaitReady(URI ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last lines of "
                        + logFile + ":\n" + tail(40));
            }
            if (answers(ready)) {
                return;
            }
            try {
                // Between HTTP probes of a starting program; there is no event to wait on.
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(
                name + " not ready within " + timeout + "; last lines of " + logFile + ":\n" + tail(40));
    }

    private static boolean answers(URI ready) {
        try {
            var response = HTTP.send(
                    HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    public Path logFile() {
        return logFile;
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM without waiting: {@link #close()} then waits, so that several processes stop at the same time. */
    public void requestStop() {
        process.destroy();
    }

    /** SIGTERM (a service drains and flushes, Prometheus and Alertmanager flush), then SIGKILL. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
