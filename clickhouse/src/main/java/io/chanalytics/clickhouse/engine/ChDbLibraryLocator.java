package io.chanalytics.clickhouse.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Finds {@code libchdb.so}: the system property {@value #PROPERTY}, else the environment variable {@value #ENV},
 * else the cache that {@code scripts/fetch-chdb.sh} fills. The library is about 566 MB, so it is never part of
 * the repository or of a jar.
 */
public final class ChDbLibraryLocator {

    public static final String PROPERTY = "chdb.library.path";
    public static final String ENV = "CHDB_LIBRARY_PATH";
    public static final String VERSION = "26.7.3-stable.1";

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final Path userHome;

    ChDbLibraryLocator(UnaryOperator<String> systemProperties, UnaryOperator<String> environment, Path userHome) {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.userHome = userHome;
    }

    /** The locator for this process: its system properties, environment and home directory. */
    public static ChDbLibraryLocator forCurrentProcess() {
        return new ChDbLibraryLocator(System::getProperty, System::getenv, Path.of(System.getProperty("user.home")));
    }

    /** The cache path {@code scripts/fetch-chdb.sh} writes to: {@code ~/.cache/chanalytics/chdb/<version>/libchdb.so}. */
    public Path cachedLibrary() {
        return userHome.resolve(".cache/chanalytics/chdb").resolve(VERSION).resolve("libchdb.so");
    }

    /** The library to load; throws with the ways to provide one when none is found. */
    public Path locate() {
        String explicit = firstNonBlank(systemProperties.apply(PROPERTY), environment.apply(ENV));
        if (explicit != null) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new ChDbException("libchdb not found at " + path + " (set by -D" + PROPERTY + " or " + ENV
                        + "). Point it at an existing libchdb.so or run scripts/fetch-chdb.sh.");
            }
            return path;
        }
        Path cached = cachedLibrary();
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        throw new ChDbException("libchdb (ClickHouse " + VERSION + " as a shared library) not found: set " + ENV
                + " (or -D" + PROPERTY + ") to a libchdb.so, or run scripts/fetch-chdb.sh to download it to "
                + cached + ".");
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }
}
