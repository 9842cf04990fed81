package io.chanalytics.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Static checks of the schema files themselves, the conventions every file keeps. */
class SchemaMigrationsTests {

    private final List<SqlScript> scripts = SchemaMigrations.fromClasspath().scripts();

    @Test
    void readsTheNumberedFilesInOrder() {
        assertThat(scripts).extracting(SqlScript::name).isSorted().first().isEqualTo("001_database.sql");
        assertThat(scripts)
                .extracting(SqlScript::name)
                .contains("003_request_metrics.sql", "006_request_metrics_1m.sql");
    }

    @Test
    void everyOrderByIsPrecededByACommentSayingWhichQueriesItServes() {
        Pattern orderBy = Pattern.compile("((?:^[ \\t]*--.*\\n)*)^[ \\t]*ORDER BY", Pattern.MULTILINE);
        for (SqlScript script : scripts) {
            Matcher matcher = orderBy.matcher(script.text());
            while (matcher.find()) {
                assertThat(matcher.group(1))
                        .as("comment before ORDER BY in %s", script.name())
                        .containsAnyOf("Serves", "serves");
            }
        }
    }

    @Test
    void everyCreateIsIdempotent() {
        Pattern create = Pattern.compile("CREATE (TABLE|MATERIALIZED VIEW|DATABASE|VIEW) (?!IF NOT EXISTS)");
        for (SqlScript script : scripts) {
            assertThat(create.matcher(script.text()).find())
                    .as("CREATE without IF NOT EXISTS in %s", script.name())
                    .isFalse();
        }
    }

    /** Every placeholder is a documented schema variable or one the mode fills (fragment parameters aside). */
    @Test
    void usesOnlyTheDocumentedVariables() throws Exception {
        Pattern placeholder = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
        List<String> texts =
                new java.util.ArrayList<>(scripts.stream().map(SqlScript::text).toList());
        // A fragment's parameters are the names the numbered files give values in their includes.
        java.util.Set<String> parameters = new java.util.HashSet<>();
        Matcher argument = Pattern.compile(" (\\w+)=\\w+")
                .matcher(String.join(
                        "\n",
                        texts.stream()
                                .flatMap(text -> Pattern.compile("\\$\\{INCLUDE [^}]*}")
                                        .matcher(text)
                                        .results())
                                .map(java.util.regex.MatchResult::group)
                                .toList()));
        while (argument.find()) {
            parameters.add(argument.group(1));
        }
        assertThat(parameters).contains("STREAM", "KEY");
        try (var fragments = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/clickhouse/schema"))) {
            for (var fragment : fragments
                    .filter(file -> file.getFileName().toString().startsWith("_"))
                    .toList()) {
                String text = java.nio.file.Files.readString(fragment);
                for (String parameter : parameters) {
                    text = text.replace("${" + parameter + "}", "");
                }
                texts.add(text);
            }
        }
        assertThat(texts).hasSizeGreaterThan(scripts.size());
        for (String text : texts) {
            Matcher matcher = placeholder.matcher(text);
            while (matcher.find()) {
                assertThat(SchemaMode.PLACEHOLDERS.contains(matcher.group(1))
                                || SchemaVariables.defaults().containsKey(matcher.group(1)))
                        .as(matcher.group(1))
                        .isTrue();
            }
        }
    }
}
