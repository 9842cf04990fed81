package io.chanalytics.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GrafanaMacros} against the plugin's own expansions: each row of {@code grafana/plugin-4.20.0-expansions.tsv}
 * was read from the plugin's source (file and function named in the file's header), not from this class.
 */
class GrafanaMacrosTests {

    private static final Dashboards DASHBOARDS = Dashboards.in(Path.of("dashboards"));

    private static final Instant FROM = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-25T09:00:00Z");
    private static final String TABLE = "/grafana/plugin-4.20.0-expansions.tsv";

    private final GrafanaMacros all =
            new GrafanaMacros(FROM, TO, Duration.ofSeconds(30), Map.of("service", List.of(GrafanaMacros.ALL)));
    private final GrafanaMacros selected =
            new GrafanaMacros(FROM, TO, Duration.ofSeconds(30), Map.of("service", List.of("crud-api", "o'hara")));

    record Expansion(String name, String selection, String input, String output) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Expansion> pluginExpansions() throws IOException {
        try (InputStream in = GrafanaMacrosTests.class.getResourceAsStream(TABLE)) {
            assertThat(in).as(TABLE).isNotNull();
            List<Expansion> rows = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.split("\t", -1))
                    .map(cells -> new Expansion(cells[0], cells[1], unescape(cells[2]), unescape(cells[3])))
                    .toList();
            assertThat(rows).as("rows of " + TABLE).hasSizeGreaterThan(10);
            return rows.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pluginExpansions")
    void expandsAsThePluginDoes(Expansion row) {
        GrafanaMacros macros = row.selection().equals("all") ? all : selected;
        assertThat(macros.expand(row.input())).isEqualTo(row.output());
    }

    @Test
    void everyMacroTheDashboardsUseIsInThePluginTable() throws IOException {
        List<String> tableInputs = pluginExpansions().map(Expansion::input).toList();
        List<String> used = DASHBOARDS.panelQueries().stream()
                .flatMap(query -> java.util.regex.Pattern.compile("\\$__[A-Za-z_]+")
                        .matcher(query.sql())
                        .results())
                .map(match -> match.group())
                .filter(macro -> !macro.equals(GrafanaMacros.ALL))
                .distinct()
                .toList();

        assertThat(used).as("macros used by the dashboards").isNotEmpty();
        assertThat(used)
                .allSatisfy(macro -> assertThat(tableInputs)
                        .as("a row of the plugin table exercises " + macro)
                        .anySatisfy(input ->
                                assertThat(input).containsPattern(java.util.regex.Pattern.quote(macro) + "\\b")));
    }

    @Test
    void unknownMacrosAndVariablesAndAllOutsideConditionalAllAreErrors() {
        assertThatThrownBy(() -> all.expand("$__timeGroup(x)")).hasMessageContaining("$__timeGroup");
        assertThatThrownBy(() -> all.expand("WHERE region = $region")).hasMessageContaining("$region");
        assertThatThrownBy(() -> all.expand("WHERE service_name IN (${service:singlequote})"))
                .hasMessageContaining("outside $__conditionalAll");
        assertThatThrownBy(() -> all.expand("$__timeFilter(a, b)")).hasMessageContaining("one argument");
    }

    private static String unescape(String cell) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length()) {
                char next = cell.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
