package io.chanalytics.metrics.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaCompatibilityCheckTests {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/schema-history");

    @Test
    void currentSchemasReadEveryKeptVersion() {
        assertThat(SchemaCompatibilityCheck.check(CURRENT, HISTORY)).isEmpty();
    }

    @Test
    void aFieldWithoutDefaultIsRejected(@TempDir Path broken) throws IOException {
        copyCurrentTo(broken);
        replaceIn(
                broken.resolve("RequestEvent.avsc"),
                "{\"name\": \"cart_items_count\"",
                "{\"name\": \"tenant\", \"type\": \"string\"},\n    {\"name\": \"cart_items_count\"");

        List<String> problems = SchemaCompatibilityCheck.check(broken, HISTORY);

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("RequestEvent", "READER_FIELD_MISSING_DEFAULT", "tenant");
    }

    @Test
    void aChangedFieldTypeIsRejected(@TempDir Path broken) throws IOException {
        copyCurrentTo(broken);
        replaceIn(
                broken.resolve("RequestEvent.avsc"),
                "{\"name\": \"status_code\", \"type\": \"int\"}",
                "{\"name\": \"status_code\", \"type\": \"string\"}");

        assertThat(SchemaCompatibilityCheck.check(broken, HISTORY))
                .anySatisfy(p -> assertThat(p).contains("TYPE_MISMATCH", "status_code"));
    }

    /** The enum declares a default, so readers map symbols they no longer know to UNKNOWN instead of failing. */
    @Test
    void aRemovedEnumSymbolFallsBackToTheEnumDefault(@TempDir Path broken) throws IOException {
        copyCurrentTo(broken);
        replaceIn(broken.resolve("BusinessEventType.avsc"), "    \"USER_REGISTERED\"\n", "");
        replaceIn(broken.resolve("BusinessEventType.avsc"), "\"ORDER_FAILED\",", "\"ORDER_FAILED\"");

        assertThat(SchemaCompatibilityCheck.check(broken, HISTORY)).isEmpty();
    }

    @Test
    void theBuildEntryPointFailsOnIncompatibility(@TempDir Path broken) throws IOException {
        copyCurrentTo(broken);
        replaceIn(broken.resolve("SystemMetricsEvent.avsc"), "{\"name\": \"live_threads\", \"type\": \"int\"},", "");

        assertThatCode(() -> SchemaCompatibilityCheck.main(new String[] {broken.toString(), HISTORY.toString()}))
                .doesNotThrowAnyException();
        // Removing a field is compatible for a reader (it ignores the writer's extra field); adding one is not:
        replaceIn(
                broken.resolve("SystemMetricsEvent.avsc"),
                "{\"name\": \"in_flight_requests\"",
                "{\"name\": \"gc_pause_ms\", \"type\": \"double\"},\n    {\"name\": \"in_flight_requests\"");
        assertThatThrownBy(() -> SchemaCompatibilityCheck.main(new String[] {broken.toString(), HISTORY.toString()}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not backward compatible")
                .hasMessageContaining("gc_pause_ms");
    }

    private static void copyCurrentTo(Path target) throws IOException {
        try (var files = Files.list(CURRENT)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }

    private static void replaceIn(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture text in %s", file).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
