package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One of the services, run from its executable jar as a child process with the same JDK as this one, its output
 * in a log file, and considered up once its readiness endpoint answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path logFile;
    private final int port;

    private ServiceProcess(String name, Process process, Path logFile, int port) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
    }

    /**
     * Finds the {@code *-exec.jar} in {@code jarOrDirectory} (or takes the jar itself) and starts it with
     * {@code environment} added to this process's environment.
     */
    public static ServiceProcess start(
            String name, Path jarOrDirectory, int port, Map<String, String> environment, Path logDirectory) {
        Path jar = executableJar(name, jarOrDirectory);
        Path logFile = logDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // Native access (Netty's native transport) is granted by the jar's manifest (Enable-Native-Access).
        command.addAll(List.of(
                "--sun-misc-unsafe-memory-access=allow", "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        try {
            Files.createDirectories(logDirectory);
            var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            builder.environment().putAll(environment);
            // The service stops itself once this process is gone, however it ended (api-support's ParentProcessWatch).
            builder.environment()
                    .put(
                            "CHANALYTICS_PARENT_PID",
                            Long.toString(ProcessHandle.current().pid()));
            return new ServiceProcess(name, builder.start(), logFile, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + " from " + jar, e);
        }
    }

    /**
     * A service's executable jar as the build left it: the {@code <name>.jar} system property when set (the test
     * configurations pass the reactor's), else the newest in {@code apis/<name>/target}.
     */
    public static Path builtJar(String name) {
        String property = System.getProperty(name + ".jar");
        return executableJar(
                name,
                property == null || property.isBlank()
                        ? RepositoryLayout.root().resolve("apis").resolve(name).resolve("target")
                        : Path.of(property));
    }

    static Path executableJar(String name, Path jarOrDirectory) {
        if (Files.isRegularFile(jarOrDirectory)) {
            return jarOrDirectory;
        }
        if (Files.isDirectory(jarOrDirectory)) {
            // After a version change several may be there: the newest build is the one to run.
            try (Stream<Path> files = Files.list(jarOrDirectory)) {
                var newest = files.filter(file -> file.getFileName().toString().endsWith("-exec.jar"))
                        .max(Comparator.comparing(ServiceProcess::lastModified));
                if (newest.isPresent()) {
                    return newest.get();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + jarOrDirectory, e);
            }
        }
        throw new IllegalStateException("No executable jar (*-exec.jar) for " + name + " in " + jarOrDirectory
                + ": build it with ./mvnw -q install -DskipTests");
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the modification time of " + file, e);
        }
    }

    /** Waits until {@code /actuator/health/readiness} answers 200; fails early when the process exits. */
    public void awaitReady(Duration timeout) {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; last lines of "
                        + logFile + ":\n" + tail(40));
            }
            if (isReady(readiness)) {
                return;
            }
            try {
                // Between HTTP probes of a starting JVM; there is no event to wait on.
                process.waitFor(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(
                name + " not ready within " + timeout + "; last lines of " + logFile + ":\n" + tail(40));
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    /** Asks for a graceful stop (SIGTERM: Spring drains requests and flushes the event publisher), then forces. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
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

    private static boolean isReady(URI readiness) {
        try {
            var response = HTTP.send(
                    HttpRequest.newBuilder(readiness)
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
