package io.chanalytics.stack.keycloak;

import io.chanalytics.stack.FileTrees;
import io.chanalytics.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keycloak's database with the repository's realm imported, made once by Keycloak itself and copied into every
 * stack's Keycloak home: a start then skips creating the schema and importing the realm, about 30 of the 40 s Keycloak
 * takes on an empty database. A template belongs to what the import read (the realm files, the administrator, the demo
 * password: {@link #key}), so editing the realm file makes a new one at the next start.
 */
final class RealmTemplate {

    private static final Logger log = LoggerFactory.getLogger(RealmTemplate.class);
    private static final String COMPLETE = ".complete";

    private RealmTemplate() {}

    /** The template's database directory (Keycloak's {@code data/h2}), made now if this realm has none yet. */
    static Path database(Path distribution, Path realmDirectory, KeycloakSettings settings, Path logDirectory) {
        Path directory = distribution.resolveSibling("realms").resolve(key(realmDirectory, settings));
        Path home = directory.resolve("home");
        try {
            Files.createDirectories(directory);
            try (FileChannel lock = FileChannel.open(
                            directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    var ignored = lock.lock()) {
                if (!Files.exists(directory.resolve(COMPLETE))) {
                    build(distribution, realmDirectory, settings, home, logDirectory);
                    Files.writeString(directory.resolve(COMPLETE), "");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak's realm template in " + directory, e);
        }
        return home.resolve("data/h2");
    }

    /** Replaces {@code home}'s database with a copy of {@code template}. */
    static void copy(Path template, Path home) {
        Path target = home.resolve("data/h2");
        try {
            FileTrees.delete(target);
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(template)) {
                for (Path file : files.toList()) {
                    Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy Keycloak's database into " + target, e);
        }
    }

    private static void build(
            Path distribution, Path realmDirectory, KeycloakSettings settings, Path home, Path logDirectory)
            throws IOException {
        FileTrees.delete(home);
        List<Integer> ports = StackSettings.freePorts(2);
        KeycloakSettings once = settings.onPorts(ports.get(0), ports.get(1));
        log.info("Importing the realm into a new Keycloak database, once for this realm file (about 40 s)");
        try (Keycloak keycloak = Keycloak.launch(
                once, distribution, realmDirectory, home, logDirectory.resolve("keycloak-template.log"))) {
            keycloak.awaitReady();
        }
        if (!Files.isDirectory(home.resolve("data/h2"))) {
            throw new IllegalStateException("Keycloak left no database in " + home.resolve("data/h2"));
        }
    }

    /** What the import reads: the realm files, and the values Keycloak puts in place of their placeholders. */
    static String key(Path realmDirectory, KeycloakSettings settings) {
        try (Stream<Path> files = Files.list(realmDirectory)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files.filter(path -> path.toString().endsWith(".json"))
                    .sorted()
                    .toList()) {
                digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(file));
            }
            for (String value : List.of(
                    settings.realm(),
                    settings.adminUser(),
                    settings.adminPassword(),
                    settings.demoPassword(),
                    settings.apiClientSecret())) {
                digest.update(value.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the realm files in " + realmDirectory, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No SHA-256 in this JDK", e);
        }
    }
}
