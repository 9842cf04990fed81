package io.chanalytics.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/** What the simulator's integration tests share: the services' jars, free ports, Gatling's system properties. */
final class TestSupport {

    private TestSupport() {}

    /** A service's executable jar, as the build leaves it (the surefire configuration passes its path). */
    static Path serviceJar(String name) {
        Path jar = Path.of(System.getProperty(name + ".jar", "../apis/" + name + "/target/" + name + "-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " executable jar missing: " + jar.toAbsolutePath()
                    + "; build the services first (./mvnw -pl apis/" + name + " -am package -DskipTests)");
        }
        return jar;
    }

    /** Runs {@code action} with the simulator's configuration overrides set as system properties (Gatling reads them). */
    static <T> T withSystemProperties(Map<String, String> properties, Supplier<T> action) {
        properties.forEach(System::setProperty);
        try {
            return action.get();
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException unavailable) {
            throw new UncheckedIOException(unavailable);
        }
    }

    static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception ignored) {
            // Shutting down after the test: a failure here must not hide the test's own result.
        }
    }
}
