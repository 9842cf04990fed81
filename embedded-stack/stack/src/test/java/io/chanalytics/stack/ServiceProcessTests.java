package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTests {

    @TempDir
    Path target;

    @Test
    void findsTheNewestExecutableJarInATargetFolder() throws Exception {
        Path old = Files.createFile(target.resolve("crud-api-0.1.0-exec.jar"));
        Path fresh = Files.createFile(target.resolve("crud-api-0.2.0-exec.jar"));
        Files.createFile(target.resolve("crud-api-0.2.0.jar"));
        Files.setLastModifiedTime(old, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(fresh, FileTime.from(Instant.parse("2026-02-01T00:00:00Z")));

        assertThat(ServiceProcess.executableJar("crud-api", target)).isEqualTo(fresh);
        assertThat(ServiceProcess.executableJar("crud-api", old)).isEqualTo(old);
    }

    @Test
    void saysHowToBuildWhenNoJarIsThere() throws Exception {
        Files.createFile(target.resolve("crud-api-0.1.0.jar"));
        assertThatIllegalStateException()
                .isThrownBy(() -> ServiceProcess.executableJar("crud-api", target))
                .withMessageContaining("crud-api")
                .withMessageContaining("./mvnw -q install -DskipTests");
    }
}
