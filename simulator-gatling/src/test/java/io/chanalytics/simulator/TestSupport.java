package io.chanalytics.simulator;

import io.chanalytics.stack.StackSettings;
import java.util.Map;
import java.util.function.Supplier;

/** What the simulator's integration tests share: free ports, Gatling's system properties, quiet shutdown. */
final class TestSupport {

    private TestSupport() {}

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
        return StackSettings.freePorts(1).getFirst();
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
