package io.chanalytics.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever the tests run (the module folder under Maven, anywhere in an IDE). */
public final class RepositoryLayout {

    private RepositoryLayout() {}

    public static Path root() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            if (Files.isRegularFile(directory.resolve("docker-compose.yml"))
                    && Files.isRegularFile(directory.resolve("mvnw"))) {
                return directory;
            }
            directory = directory.getParent();
        }
        throw new IllegalStateException("No repository root (docker-compose.yml + mvnw) above "
                + Path.of("").toAbsolutePath());
    }
}
