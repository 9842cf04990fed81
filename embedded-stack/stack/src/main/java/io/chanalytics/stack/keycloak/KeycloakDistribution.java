package io.chanalytics.stack.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keycloak's server distribution ({@code org.keycloak:keycloak-quarkus-dist}, the zip Maven copies to
 * {@code embedded-stack/stack/target/keycloak}), unpacked once into a cache outside the repository and built once
 * ({@code kc.sh build}, Quarkus's augmentation, about 30 s) with the options every stack starts it with, so a start
 * takes only the server's own time. Several stacks share one built distribution: each gives it a home directory of
 * its own (see {@link Keycloak}).
 */
public final class KeycloakDistribution {

    private static final Logger log = LoggerFactory.getLogger(KeycloakDistribution.class);

    /**
     * Build-time options (Keycloak refuses {@code start --optimized} with others): the embedded file database (H2,
     * in each stack's Keycloak home, copied from the realm's template), health and metrics on the management port, no
     * cluster.
     */
    static final List<String> BUILD_OPTIONS =
            List.of("--db=dev-file", "--health-enabled=true", "--metrics-enabled=true", "--cache=local");

    private static final Pattern ZIP_NAME = Pattern.compile("keycloak-quarkus-dist-(.+)\\.zip");
    private static final String BUILT_MARKER = ".chanalytics-built";

    private KeycloakDistribution() {}

    /**
     * The built distribution's directory (with {@code bin/kc.sh}) for the zip in {@code zipDirectory}, unpacked and
     * built under {@code cacheRoot}/&lt;version&gt; when not done before. Concurrent stacks wait for each other.
     */
    public static Path prepare(Path zipDirectory, Path cacheRoot) {
        Path zip = zipIn(zipDirectory);
        Matcher name = ZIP_NAME.matcher(zip.getFileName().toString());
        if (!name.matches()) {
            throw new IllegalStateException("Unexpected name of Keycloak's distribution: " + zip);
        }
        Path versionDirectory = cacheRoot.resolve(name.group(1));
        try {
            Files.createDirectories(versionDirectory);
            try (FileChannel lock = FileChannel.open(
                            versionDirectory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var ignored = lock.lock()) {
                Path home = versionDirectory.resolve("keycloak-" + name.group(1));
                Path marker = home.resolve(BUILT_MARKER);
                String built = String.join(" ", BUILD_OPTIONS);
                if (Files.isRegularFile(marker) && Files.readString(marker).equals(built)) {
                    return home;
                }
                if (!Files.isDirectory(home.resolve("bin"))) {
                    log.info("Unpacking {} into {}", zip.getFileName(), versionDirectory);
                    unzip(zip, versionDirectory);
                }
                log.info("Building Keycloak once ({}), about 30 s", built);
                build(home);
                Files.writeString(marker, built);
                return home;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak in " + versionDirectory, e);
        }
    }

    private static Path zipIn(Path zipDirectory) {
        Optional<Path> newest;
        try (Stream<Path> files = Files.list(zipDirectory)) {
            newest = files.filter(file ->
                            ZIP_NAME.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(KeycloakDistribution::modified));
        } catch (IOException e) {
            newest = Optional.empty();
        }
        return newest.orElseThrow(() -> new IllegalStateException("Keycloak's distribution is not in " + zipDirectory
                + ": build the stack first (./mvnw install -DskipTests -pl embedded-stack/stack -am copies it there),"
                + " or set SIGN_IN=false to run without sign-in"));
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Java's zip reader keeps no Unix modes: the launch scripts get their execute bit back by name. */
    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("Zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
                if (entry.getName().endsWith(".sh")) {
                    destination.toFile().setExecutable(true);
                }
            }
        }
    }

    private static void build(Path home) throws IOException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        Path log = Files.createTempFile("keycloak-build", ".log");
        var builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "kc.sh build failed; its output:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while building Keycloak", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
