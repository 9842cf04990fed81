package io.chanalytics.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The worked examples in {@code docs/} quote code: a line naming a file in backticks, then a fenced block. Each block
 * must still stand verbatim in that file, so a renamed field or method breaks the build, not the reader.
 */
class DocsExamplesTests {

    private static final Pattern EXCERPT =
            Pattern.compile("(?m)^`([\\w./-]+)`\\n```\\w*\\n(.*?)\\n```", Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"docs/adding-a-metric.md", "docs/adding-an-endpoint.md"})
    void everyQuotedExcerptStillStandsInItsFile(String doc) throws IOException {
        // Maven runs the tests in the module's folder, docs/ itself.
        Path root = Path.of("").toAbsolutePath().getParent();
        Matcher excerpt = EXCERPT.matcher(Files.readString(root.resolve(doc)));
        List<String> checked = new ArrayList<>();
        while (excerpt.find()) {
            Path file = root.resolve(excerpt.group(1));
            assertThat(file).as(doc + " quotes " + excerpt.group(1)).isRegularFile();
            assertThat(Files.readString(file))
                    .as(doc + " excerpt of " + excerpt.group(1))
                    .contains(excerpt.group(2));
            checked.add(excerpt.group(1));
        }
        assertThat(checked).as("excerpts in " + doc).hasSizeGreaterThanOrEqualTo(3);
    }
}
