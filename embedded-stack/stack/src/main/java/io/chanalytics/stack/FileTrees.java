package io.chanalytics.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * File-tree chores the stack's caches share (the services' start directories and AOT caches, Keycloak's realm
 * template).
 */
public final class FileTrees {

    private FileTrees() {}

    /** The time since {@code path} was last modified. */
    public static Duration age(Path path) throws IOException {
        return Duration.between(Files.getLastModifiedTime(path).toInstant(), Instant.now());
    }

    /** Deletes {@code directory} and everything under it, links as links; nothing to do if it is not there. */
    public static void delete(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path :
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }
}
