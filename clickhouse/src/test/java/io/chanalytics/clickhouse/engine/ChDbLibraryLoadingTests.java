package io.chanalytics.clickhouse.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the library file is there but is not a usable libchdb (own JVM: nothing loaded yet). */
class ChDbLibraryLoadingTests {

    @TempDir
    Path directory;

    @Test
    void explainsAFileThatIsNotALoadableLibrary() throws Exception {
        Path notALibrary = Files.writeString(directory.resolve("libchdb.so"), "not an ELF file");

        assertThatThrownBy(() -> ChDb.open(notALibrary, directory.resolve("data")))
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining(notALibrary.toString())
                .hasMessageContaining("scripts/fetch-chdb.sh");
    }
}
