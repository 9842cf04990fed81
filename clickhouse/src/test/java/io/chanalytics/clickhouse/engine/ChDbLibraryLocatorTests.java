package io.chanalytics.clickhouse.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChDbLibraryLocatorTests {

    @TempDir
    Path home;

    @Test
    void prefersTheSystemPropertyOverTheEnvironmentAndTheCache() throws IOException {
        Path fromProperty = Files.createFile(home.resolve("property.so"));
        Path fromEnvironment = Files.createFile(home.resolve("env.so"));
        createCachedLibrary();

        ChDbLibraryLocator locator = new ChDbLibraryLocator(
                Map.of(ChDbLibraryLocator.PROPERTY, fromProperty.toString())::get,
                Map.of(ChDbLibraryLocator.ENV, fromEnvironment.toString())::get,
                home);

        assertThat(locator.locate()).isEqualTo(fromProperty);
    }

    @Test
    void usesTheEnvironmentWhenThePropertyIsBlank() throws IOException {
        Path fromEnvironment = Files.createFile(home.resolve("env.so"));

        ChDbLibraryLocator locator = new ChDbLibraryLocator(
                Map.of(ChDbLibraryLocator.PROPERTY, " ")::get,
                Map.of(ChDbLibraryLocator.ENV, fromEnvironment.toString())::get,
                home);

        assertThat(locator.locate()).isEqualTo(fromEnvironment);
    }

    @Test
    void fallsBackToTheCacheTheFetchScriptFills() throws IOException {
        Path cached = createCachedLibrary();

        ChDbLibraryLocator locator = new ChDbLibraryLocator(name -> null, name -> null, home);

        assertThat(locator.locate()).isEqualTo(cached);
        assertThat(cached.toString()).endsWith(".cache/chanalytics/chdb/26.7.3-stable.1/libchdb.so");
    }

    @Test
    void explainsHowToGetTheLibraryWhenNoneIsFound() {
        ChDbLibraryLocator locator = new ChDbLibraryLocator(name -> null, name -> null, home);

        assertThatThrownBy(locator::locate)
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("CHDB_LIBRARY_PATH")
                .hasMessageContaining("scripts/fetch-chdb.sh");
    }

    @Test
    void rejectsAnExplicitPathThatDoesNotExist() {
        ChDbLibraryLocator locator =
                new ChDbLibraryLocator(name -> null, Map.of(ChDbLibraryLocator.ENV, "/nowhere/libchdb.so")::get, home);

        assertThatThrownBy(locator::locate)
                .isInstanceOf(ChDbException.class)
                .hasMessageContaining("/nowhere/libchdb.so")
                .hasMessageContaining("scripts/fetch-chdb.sh");
    }

    private Path createCachedLibrary() throws IOException {
        Path cached = new ChDbLibraryLocator(name -> null, name -> null, home).cachedLibrary();
        Files.createDirectories(cached.getParent());
        return Files.createFile(cached);
    }
}
