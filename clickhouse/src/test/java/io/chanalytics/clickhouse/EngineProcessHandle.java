package io.chanalytics.clickhouse;

import io.chanalytics.clickhouse.engine.ChDbLibraryLocator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The test's side of an {@link EngineProcess}: starts it, follows its output, closes or kills it. */
final class EngineProcessHandle implements AutoCloseable {

    private final Process process;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicLong lastCount = new AtomicLong();
    private final List<String> output = new ArrayList<>();

    private EngineProcessHandle(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().start(this::follow);
    }

    static EngineProcessHandle start(Path dataPath, IngestionStack stack, Path workDirectory) throws IOException {
        List<String> command = javaCommand(EngineProcess.class);
        command.add(dataPath.toString());
        stack.schemaVariables().forEach((name, value) -> command.add(name + "=" + value));
        Path stderr = Files.createDirectories(workDirectory).resolve("engine-process.err");
        return new EngineProcessHandle(
                new ProcessBuilder(command).redirectError(stderr.toFile()).start());
    }

    /**
     * The command line of a child JVM running {@code main} with this JVM's classpath and the engine's library: the
     * engine reads its environment and allows one instance per process, so tests that need either run one.
     */
    static List<String> javaCommand(Class<?> main) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + ChDbLibraryLocator.PROPERTY + "="
                + ChDbLibraryLocator.forCurrentProcess().locate());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        return command;
    }

    boolean ready() {
        return ready.get();
    }

    /** Rows in request_metrics at the engine's last report. */
    long lastCount() {
        return lastCount.get();
    }

    /** Asks for a clean close and returns the exit code. */
    int closeCleanly(Duration timeout) throws IOException, InterruptedException {
        try (Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            stdin.write(EngineProcess.CLOSE + "\n");
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("engine process still running after " + timeout + "; output " + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: the engine gets no chance to flush or commit anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void follow() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(EngineProcess.READY)) {
                    ready.set(true);
                } else if (line.startsWith(EngineProcess.COUNT)) {
                    lastCount.set(Long.parseLong(line.substring(EngineProcess.COUNT.length())));
                } else {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended; its exit code tells the test what happened.
        }
    }
}
