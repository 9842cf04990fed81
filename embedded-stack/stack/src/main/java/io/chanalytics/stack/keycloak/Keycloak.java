package io.chanalytics.stack.keycloak;

import io.chanalytics.stack.AotCache;
import io.chanalytics.stack.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keycloak, the issuer of the APIs' tokens, as a child process of the stack: the built distribution
 * ({@link KeycloakDistribution}) started in production mode ({@code start --optimized}) on loopback, on a database
 * into which Keycloak imported the repository's realm ({@code keycloak/import}, the directory compose mounts; see
 * {@link RealmTemplate}). Keycloak has
 * no option for another import directory than {@code <home>/data/import}, so each stack gives it a home of its own
 * ({@code kc.home.dir}, in the data directory) whose {@code data/import} links to the repository's realm directory and
 * whose program directories link to the shared distribution.
 */
public final class Keycloak implements AutoCloseable {

    /** The first start imports the realm into an empty database: about 15 s on an idle machine, more under load. */
    public static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> SHARED_DIRECTORIES = List.of("lib", "providers", "themes", "conf");

    private final KeycloakSettings settings;
    private final ChildProcess process;
    private final AotCache cache;

    private Keycloak(KeycloakSettings settings, ChildProcess process, AotCache cache) {
        this.cache = cache;
        this.settings = settings;
        this.process = process;
    }

    /**
     * Starts Keycloak without waiting for it ({@link #awaitReady()}), on a copy of the realm's template database
     * ({@link RealmTemplate}, made first if this realm has none), so that it is ready in seconds while the other parts
     * start.
     */
    public static Keycloak start(
            KeycloakSettings settings, Path distribution, Path realmDirectory, Path home, Path logDirectory) {
        Path template = RealmTemplate.database(distribution, realmDirectory, settings, logDirectory);
        prepareHome(distribution, realmDirectory, home);
        RealmTemplate.copy(template, home);
        return run(settings, distribution, home, logDirectory.resolve("keycloak.log"));
    }

    /** Starts Keycloak on an empty database in {@code home}, which it fills by importing the realm. */
    static Keycloak launch(KeycloakSettings settings, Path distribution, Path realmDirectory, Path home, Path logFile) {
        prepareHome(distribution, realmDirectory, home);
        return run(settings, distribution, home, logFile);
    }

    private static Keycloak run(KeycloakSettings settings, Path distribution, Path home, Path logFile) {
        List<String> program = List.of(
                distribution.resolve("bin/kc.sh").toString(),
                "-Dkc.home.dir=" + home.toAbsolutePath(),
                "start",
                "--optimized",
                "--http-enabled=true",
                "--http-host=127.0.0.1",
                "--http-port=" + settings.port(),
                "--http-management-port=" + settings.managementPort(),
                "--hostname=http://localhost:" + settings.port(),
                // A realm the database already holds is left as it is (Keycloak's IGNORE_EXISTING).
                "--import-realm");
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // The JDK's AOT cache of Keycloak's start, one per distribution: ready in 9.4-9.8 s with 17-18 s of CPU
        // instead of 13.0 s and 22.3 s (2 cores, 2026-12-03; less than a service gains, as Quarkus loads most classes
        // with a class loader of its own, which the cache leaves out).
        AotCache cache = AotCache.in(distribution.resolveSibling(distribution.getFileName() + ".start"));
        environment.put("JAVA_OPTS_APPEND", String.join(" ", cache.options()));
        // Keycloak's default heap is up to 512 MB; the realm of a reference stack needs far less.
        environment.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx256m");
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", settings.adminUser());
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", settings.adminPassword());
        environment.put("KEYCLOAK_DEMO_PASSWORD", settings.demoPassword());
        environment.put("API_OAUTH_CLIENT_SECRET", settings.apiClientSecret());
        ChildProcess process = ChildProcess.start(
                "keycloak",
                ChildProcess.endingWithThisProcess("keycloak", program),
                environment,
                logFile,
                cache.stopTimeout(STOP_TIMEOUT));
        return new Keycloak(settings, process, cache);
    }

    private static void prepareHome(Path distribution, Path realmDirectory, Path home) {
        try {
            Path data = home.resolve("data");
            Files.createDirectories(data);
            for (String directory : SHARED_DIRECTORIES) {
                relink(home.resolve(directory), distribution.resolve(directory));
            }
            relink(data.resolve("import"), realmDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Keycloak's home " + home, e);
        }
    }

    /** The link is made anew at every start: the repository or the cache may have moved since the last one. */
    private static void relink(Path link, Path target) throws IOException {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, target.toAbsolutePath());
    }

    /** Waits until the realm is imported and served; fails early, with the log's end, if Keycloak exits. */
    public void awaitReady() {
        process.awaitReady(settings.readiness(), READY_TIMEOUT);
    }

    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.close();
        cache.finish();
    }

    /** SIGTERM without waiting ({@link #close()} then waits), for stopping it with the services. */
    public void requestStop() {
        process.requestStop();
    }
}
