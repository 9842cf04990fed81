package io.chanalytics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RecordingProfile} on a real JFR recording of this JVM: a thread named as the publisher's drain thread spins
 * next to a thread doing other work, about as long; the profile attributes the first to the recording and not the
 * second.
 */
class RecordingProfileTests {

    @Test
    void countsTheDrainThreadsSamplesAsTheRecordingsAndOtherWorkNot(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("profile.jfr");
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.start();
            Thread drain = Thread.ofPlatform().name("event-publisher").start(() -> spin(Duration.ofMillis(1500)));
            Thread other = Thread.ofPlatform().name("reactor-http-nio-1").start(() -> spin(Duration.ofMillis(1500)));
            drain.join();
            other.join();
            recording.stop();
            recording.dump(file);
        }

        RecordingProfile profile = RecordingProfile.of(file);

        assertThat(profile.byPart()).containsOnlyKeys("publisher drain thread (serialize, send)");
        long drain = profile.recording();
        assertThat(drain).as("samples of the drain thread").isGreaterThan(20);
        assertThat(profile.samples() - drain).as("samples of other threads").isGreaterThan(20);
        assertThat(profile.share()).isBetween(0.2, 0.8);
    }

    private static void spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        if (x < 0) {
            throw new AssertionError();
        }
    }
}
