package io.chanalytics.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's AOT cache of a program's start (JEP 483, 514, 515: classes loaded and linked, method profiles), kept in a
 * directory of its own: a start uses it when it is there, else one start at a time records it, and the JVM writes it
 * as that run exits. Writing takes the exiting JVM another 10-25 s (it starts a second JVM to assemble the cache), so
 * a recording run gets {@link #stopTimeout} longer. A start that finds another recording runs without the cache; a
 * recording killed on the way leaves nothing that is used.
 */
public final class AotCache {

    private static final Logger log = LoggerFactory.getLogger(AotCache.class);
    private static final String CACHE = "start.aot";
    private static final String RECORDING = "recording";
    // Longer than any start: a recorder older than this died without stopping (SIGKILL, a crash).
    private static final Duration RECORDER_GONE_AFTER = Duration.ofMinutes(15);
    private static final Duration WRITING = Duration.ofSeconds(100);

    private final Path directory;
    private final Optional<Path> recording;

    private AotCache(Path directory, Optional<Path> recording) {
        this.directory = directory;
        this.recording = recording;
    }

    /** The cache in {@code directory} (created if need be); this start records it when it is missing. */
    public static AotCache in(Path directory) {
        try {
            Files.createDirectories(directory);
            return new AotCache(
                    directory,
                    Files.isRegularFile(directory.resolve(CACHE)) ? Optional.empty() : claimRecording(directory));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the AOT cache in " + directory, e);
        }
    }

    /** The JVM's options: the cache or its recording, and the JDK's own notes on it kept out of the program's log. */
    public List<String> options() {
        List<String> options = new ArrayList<>();
        if (recording.isPresent()) {
            options.add("-XX:AOTCacheOutput=" + recording.get());
        } else if (Files.isRegularFile(file())) {
            options.add("-XX:AOTCache=" + file());
        }
        // Hundreds of lines on the classes it leaves out otherwise.
        options.add("-Xlog:aot=off,cds=off");
        return options;
    }

    /** The file the JVM maps when it starts from the cache (what a test looks for in /proc/PID/maps). */
    public Path file() {
        return directory.resolve(CACHE);
    }

    public boolean records() {
        return recording.isPresent();
    }

    /** {@code stop}, or that plus the time the JVM takes to write the cache when this run records it. */
    public Duration stopTimeout(Duration stop) {
        return records() ? stop.plus(WRITING) : stop;
    }

    /** After the JVM ended: its recording, when complete, becomes the cache the next starts use. */
    public void finish() {
        recording.ifPresent(file -> {
            try {
                if (Files.isRegularFile(file) && Files.size(file) > 0) {
                    Files.move(file, file(), StandardCopyOption.ATOMIC_MOVE);
                    log.info("AOT cache recorded in {}: the next starts take less time", file());
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
     * never stopped, and so was a partial output that old.
     */
    private static Optional<Path> claimRecording(Path directory) throws IOException {
        Path marker = directory.resolve(RECORDING);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".aot.part"))
                    .toList()) {
                if (FileTrees.age(file).compareTo(RECORDER_GONE_AFTER) > 0) {
                    Files.deleteIfExists(file);
                }
            }
        }
        if (Files.exists(marker) && FileTrees.age(marker).compareTo(RECORDER_GONE_AFTER) > 0) {
            Files.deleteIfExists(marker);
        }
        try {
            Files.createFile(marker);
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        }
        return Optional.of(directory.resolve(UUID.randomUUID() + ".aot.part"));
    }
}
