package io.chanalytics.stack.monitoring;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program of Prometheus's family run by the stack: its output in a log file, up once its readiness URL says so. */
final class ExternalProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path logFile;

    private ExternalProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Runs the program under a shell that ends it when this JVM is gone, however it ended (SIGKILL included), as the
     * services end themselves (their parent-process watch): a crashed stack leaves no Prometheus on its port. The
     * shell's SIGTERM stops the program and waits for it, so stopping the shell stops the program.
     */
    private static final String WATCH = "parent=$1; shift; \"$@\" & child=$!;"
            + " trap 'kill -TERM $child 2>/dev/null; wait $child; exit $?' TERM INT;"
            + " while kill -0 \"$parent\" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done;"
            + " kill -TERM $child 2>/dev/null; wait $child";

    static ExternalProcess start(String name, List<String> program, Path logFile) {
        List<String> command = new java.util.ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                WATCH,
                name,
                Long.toString(ProcessHandle.current().pid())));
        command.addAll(program);
        try {
            Files.createDirectories(logFile.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            return new ExternalProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + String.join(" ", program), e);
        }
    }

    /** Waits until {@code ready} answers 200; fails early, with the log's end, when the program exits. */
    void awaitReady(URI ready, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last lines of "
                        + logFile + ":\n" + tail());
            }
            try {
                if (HTTP.send(
                                        HttpRequest.newBuilder(ready)
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(
                name + " not ready within " + timeout + "; last lines of " + logFile + ":\n" + tail());
    }

    ProcessHandle toHandle() {
        return process.toHandle();
    }

    Path logFile() {
        return logFile;
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (the shell passes it on; both programs flush and exit on it), then SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
