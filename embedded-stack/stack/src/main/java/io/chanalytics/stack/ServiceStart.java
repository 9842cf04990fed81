package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a service's executable jar is started fast, prepared once per build of the jar next to it ({@code
 * target/<jar>.start/<size>-<modified>/}): Spring Boot's own extraction ({@code java -Djarmode=tools -jar ... extract},
 * the application jar with its libraries beside it, read from the class path instead of through Spring's nested-jar
 * loader) and the JDK's AOT cache of the service's start (JEP 483, 514, 515: classes loaded and linked, method
 * profiles), which the first run of the build records as it exits. crud-api on 2 cores (2026-12-03): ready in 11.6 s
 * with 18.7 s of CPU from the executable jar, 8.7 s and 14.5 s extracted, 3.9 s and 6.5 s with the cache.
 *
 * <p>The recording run writes the cache when it exits, which takes its JVM another 10-20 s (it starts a second JVM to
 * assemble the cache): {@link #stopTimeout} gives it that time. Runs that find no cache while another records start
 * without one; a recording killed on the way leaves nothing that is used.
 */
final class ServiceStart {

    private static final Logger log = LoggerFactory.getLogger(ServiceStart.class);
    private static final String CACHE = "start.aot";
    private static final String RECORDING = "recording";
    // Longer than any service start: a recorder older than this died without stopping (SIGKILL, a crash).
    private static final Duration RECORDER_GONE_AFTER = Duration.ofMinutes(15);
    private static final Duration STOP = Duration.ofSeconds(20);
    private static final Duration STOP_WHILE_RECORDING = Duration.ofSeconds(120);
    private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

    private final Path directory;
    private final Path applicationJar;
    private final Optional<Path> recording;

    private ServiceStart(Path directory, Path applicationJar, Optional<Path> recording) {
        this.directory = directory;
        this.applicationJar = applicationJar;
        this.recording = recording;
    }

    /** Extracts {@code executableJar} unless this build of it already is, and decides whether this run records. */
    static ServiceStart prepare(Path executableJar, String java) {
        Path directory = directoryFor(executableJar);
        Path applicationJar = directory.resolve("app").resolve(executableJar.getFileName());
        try {
            if (!Files.isRegularFile(applicationJar)) {
                extract(executableJar, java, directory);
            }
            return new ServiceStart(
                    directory,
                    applicationJar,
                    Files.isRegularFile(directory.resolve(CACHE)) ? Optional.empty() : claimRecording(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + executableJar + " in " + directory, e);
        }
    }

    /** This build's directory; the other builds' directories of the same jar are deleted once a day old. */
    static Path directoryFor(Path executableJar) {
        try {
            Path builds = executableJar.resolveSibling(executableJar.getFileName() + ".start");
            String build = Files.size(executableJar) + "-"
                    + Files.getLastModifiedTime(executableJar).toMillis();
            deleteOlderThan(builds, build, Duration.ofDays(1));
            Path directory = builds.resolve(build);
            if (Files.isDirectory(directory)) {
                // Its age is the time since its last start: a build in use is never a day old.
                Files.setLastModifiedTime(directory, FileTime.from(Instant.now()));
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + executableJar, e);
        }
    }

    /** The JVM's arguments from the AOT flag on: the cache or its recording, then the extracted jar. */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        Path cache = directory.resolve(CACHE);
        if (recording.isPresent()) {
            arguments.add("-XX:AOTCacheOutput=" + recording.get());
        } else if (Files.isRegularFile(cache)) {
            arguments.add("-XX:AOTCache=" + cache);
        }
        // The JDK's own notes on classes it leaves out of the cache (hundreds of lines) stay out of the service's log.
        arguments.add("-Xlog:aot=off,cds=off");
        arguments.addAll(List.of("-jar", applicationJar.toString()));
        return arguments;
    }

    /** The file the JVM maps when it starts from the cache (what a test looks for in /proc/PID/maps). */
    Path cache() {
        return directory.resolve(CACHE);
    }

    boolean records() {
        return recording.isPresent();
    }

    Duration stopTimeout() {
        return records() ? STOP_WHILE_RECORDING : STOP;
    }

    /** After the service's JVM ended: its recording, when complete, becomes the cache the next starts use. */
    void finish() {
        recording.ifPresent(file -> {
            try {
                if (Files.isRegularFile(file) && Files.size(file) > 0) {
                    Files.move(file, directory.resolve(CACHE), StandardCopyOption.ATOMIC_MOVE);
                    log.info("AOT cache of {} recorded: the next starts take about half the time", applicationJar);
                }
                Files.deleteIfExists(file);
                Files.deleteIfExists(directory.resolve(RECORDING));
            } catch (IOException e) {
                log.warn("Cannot keep the AOT cache recorded in {}: {}", file, e.getMessage());
            }
        });
    }

    /**
     * The right to record, taken by creating a marker atomically; a marker older than any start was left by a run that
     * never stopped, as was its partial output.
     */
    private static Optional<Path> claimRecording(Path directory) throws IOException {
        Path marker = directory.resolve(RECORDING);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".aot.part"))
                    .toList()) {
                if (age(file).compareTo(RECORDER_GONE_AFTER) > 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (Files.exists(marker) && age(marker).compareTo(RECORDER_GONE_AFTER) > 0) {
            Files.deleteIfExists(marker);
        }
        try {
            Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(UUID.randomUUID() + ".aot.part"));
    }

    /** Spring Boot's extraction into a fresh directory, then moved into place in one step. */
    private static void extract(Path executableJar, String java, Path directory) throws IOException {
        Files.createDirectories(directory);
        Path target = directory.resolve("app");
        Path fresh = directory.resolve("app-" + UUID.randomUUID());
        Process process = new ProcessBuilder(
                        java,
                        "-Djarmode=tools",
                        "-jar",
                        executableJar.toString(),
                        "extract",
                        "--destination",
                        fresh.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(EXTRACT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("Extracting " + executableJar + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while extracting " + executableJar, e);
        }
        try {
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
            deleteTree(fresh); // another start extracted the same build meanwhile
        }
    }

    private static void deleteOlderThan(Path builds, String keep, Duration age) throws IOException {
        if (!Files.isDirectory(builds)) {
            return;
        }
        try (Stream<Path> directories = Files.list(builds)) {
            for (Path build : directories.toList()) {
                if (!build.getFileName().toString().equals(keep) && age(build).compareTo(age) > 0) {
                    deleteTree(build);
                }
            }
        }
    }

    private static Duration age(Path file) throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        return Duration.between(modified.toInstant(), Instant.now());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
