package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One of the services, run from its executable jar as a child process with the same JDK as this one, its output
 * in a log file, and considered up once its readiness endpoint answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final ChildProcess process;
    private final int port;
    private final ServiceStart start;

    private ServiceProcess(String name, ChildProcess process, int port, ServiceStart start) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.start = start;
    }

    /**
     * Finds the {@code *-exec.jar} in {@code jarOrDirectory} (or takes the jar itself) and starts it, extracted and
     * from its AOT cache ({@link ServiceStart}), with {@code environment} added to this process's environment.
     */
    public static ServiceProcess start(
            String name, Path jarOrDirectory, int port, Map<String, String> environment, Path logDirectory) {
        Path jar = executableJar(name, jarOrDirectory);
        String java = ProcessHandle.current().info().command().orElse("java");
        ServiceStart start = ServiceStart.prepare(jar, java);
        List<String> command = new ArrayList<>();
        command.add(java);
        // Native access (Netty's native transport) is granted by the jar's manifest (Enable-Native-Access).
        command.addAll(List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx384m", "-XX:+UseSerialGC"));
        command.addAll(start.arguments());
        Map<String, String> variables = new HashMap<>(environment);
        // The service stops itself once this process is gone, however it ended (api-support's ParentProcessWatch).
        variables.put(
                "CHANALYTICS_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        return new ServiceProcess(
                name,
                ChildProcess.start(name, command, variables, logDirectory.resolve(name + ".log"), start.stopTimeout()),
                port,
                start);
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
        process.awaitReady(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"), timeout);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return process.logFile();
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
        process.close();
        start.cache().finish();
    }

    /** SIGTERM without waiting, for stopping several services at once ({@link #close()} then waits). */
    public void requestStop() {
        process.requestStop();
    }
}
