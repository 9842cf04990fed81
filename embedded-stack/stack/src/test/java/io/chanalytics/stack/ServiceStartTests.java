package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a service's jar is prepared for its start, on a copy of the real crud-api jar (Spring Boot's extraction runs for
 * real). Whether a started service maps the cache is {@code StackScriptsIntegrationTests}'s question.
 */
class ServiceStartTests {

    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @TempDir
    Path target;

    @Test
    void extractsOnceAndTheFirstRunRecordsWhileTheOthersStartWithoutTheCache() throws Exception {
        Path jar = copyOfTheServiceJar();

        ServiceStart first = ServiceStart.prepare(jar, JAVA);
        ServiceStart second = ServiceStart.prepare(jar, JAVA);

        Path extracted = ServiceStart.directoryFor(jar).resolve("app").resolve(jar.getFileName());
        assertThat(extracted).isRegularFile();
        assertThat(extracted.resolveSibling("lib")).isDirectoryContaining("glob:**/spring-core-*.jar");
        assertThat(first.cache().records()).isTrue();
        assertThat(first.arguments()).anyMatch(argument -> argument.startsWith("-XX:AOTCacheOutput="));
        assertThat(first.arguments()).endsWith("-jar", extracted.toString());
        assertThat(first.stopTimeout()).isGreaterThan(Duration.ofSeconds(60));
        assertThat(second.cache().records()).as("one recorder at a time").isFalse();
        assertThat(second.arguments()).noneMatch(argument -> argument.startsWith("-XX:AOTCache"));
        assertThat(second.stopTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aCompleteRecordingBecomesTheCacheTheNextStartsUse() throws Exception {
        Path jar = copyOfTheServiceJar();
        ServiceStart recorder = ServiceStart.prepare(jar, JAVA);
        String output = recorder.arguments().getFirst().substring("-XX:AOTCacheOutput=".length());
        Files.writeString(Path.of(output), "the JVM's cache");

        recorder.cache().finish();

        assertThat(recorder.cache().file()).hasContent("the JVM's cache");
        assertThat(Path.of(output)).doesNotExist();
        ServiceStart next = ServiceStart.prepare(jar, JAVA);
        assertThat(next.cache().records()).isFalse();
        assertThat(next.arguments()).contains("-XX:AOTCache=" + recorder.cache().file());
    }

    @Test
    void aRecorderThatLeftNothingOrNeverStoppedDoesNotBlockTheNext() throws Exception {
        Path jar = copyOfTheServiceJar();
        ServiceStart killed = ServiceStart.prepare(jar, JAVA);
        killed.cache().finish(); // its JVM wrote nothing: killed before it exited

        ServiceStart again = ServiceStart.prepare(jar, JAVA);
        assertThat(again.cache().records()).as("the next run records").isTrue();
        assertThat(again.cache().file()).doesNotExist();

        // This recorder never stops (its stack was killed): its marker ages past any start.
        Path marker = ServiceStart.directoryFor(jar).resolve("recording");
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
        assertThat(ServiceStart.prepare(jar, JAVA).cache().records()).isTrue();
    }

    @Test
    void aRebuildWithTheSameBytesKeepsItsDirectoryAndOtherBytesGetTheirOwn() throws Exception {
        Path jar = copyOfTheServiceJar();
        Path before = ServiceStart.directoryFor(jar);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(ServiceStart.directoryFor(jar)).as("the same bytes rebuilt").isEqualTo(before);

        Files.write(jar, new byte[] {0}, StandardOpenOption.APPEND);
        Path after = ServiceStart.directoryFor(jar);
        assertThat(after).as("other bytes").isNotEqualTo(before);
        assertThat(after.getParent()).isEqualTo(before.getParent());
    }

    private Path copyOfTheServiceJar() throws Exception {
        return Files.copy(ServiceProcess.builtJar("crud-api"), target.resolve("crud-api-0.1.0-exec.jar"));
    }
}
