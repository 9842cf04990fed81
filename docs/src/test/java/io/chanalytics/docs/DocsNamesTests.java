package io.chanalytics.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.EmbeddedClickHouse;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.grafana.Dashboards;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the docs name must exist, so a moved file, a renamed dashboard or a dropped table breaks the build, not the
 * reader. The docs are {@code README.md}, every {@code <top-level folder>/README.md} and {@code docs/*.md}. Three kinds
 * of names are checked, each by a rule simple enough to keep in mind while writing:
 *
 * <ul>
 *   <li><b>Files and folders</b>, outside fenced code blocks. An inline code span, a leading {@code ./} dropped, is a
 *       path when it contains a {@code /} and starts with a top-level folder of the repository (as on disk, e.g.
 *       {@code clickhouse/}), or ends in {@code .md .yml .yaml .sql .sh .json .java .xml .avsc}. It is not a path when
 *       it holds a space (a command line), a placeholder or wildcard ({@code * < > { } $}), a {@code :} (URLs, images,
 *       host and port), an elision ({@code ...}), {@code NNN_}, or starts with {@code /} (a path inside a
 *       container). A path that starts with a top-level folder must exist from the repository root or from the doc's
 *       folder; any other (a bare file name, a path inside a module such as {@code publish/EventPublisher.java}) from
 *       the doc's folder or as the end of a path in the repository. A Markdown link target without a scheme
 *       ({@code https:}) must exist from the doc's folder ({@code /...} from the root), whatever it looks like;
 *       {@code #anchors} are not checked.
 *   <li><b>Dashboards</b>: a doc names dashboards in italics (or bold) right after the word "dashboard(s)", separated
 *       by commas, "and", "or" or "·": "dashboards <i>Overview</i>, <i>Performance</i> and <i>Pipeline health</i>".
 *       Each such name must be the title of a dashboard in {@code grafana/dashboards/*.json}.
 *   <li><b>ClickHouse tables</b>: {@code analytics.<name>} anywhere, code blocks included, must be a table, view or
 *       dictionary the real engine has once every schema file was applied (a table a later file drops is gone), the
 *       runner's ledger included. A name followed by {@code <}, <code>{</code>, {@code *} or {@code $} is a
 *       placeholder; {@code system.*} is not checked.
 * </ul>
 */
class DocsNamesTests {

    // Maven runs the tests in the module's folder, docs/ itself.
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static Repository repository;

    @BeforeAll
    static void readRepository(@TempDir Path engineData) throws IOException {
        repository = Repository.read(ROOT, engineData);
    }

    static List<String> docs() throws IOException {
        List<String> docs = new ArrayList<>();
        docs.add("README.md");
        for (String folder : Repository.topFoldersOf(ROOT)) {
            if (Files.isRegularFile(ROOT.resolve(folder).resolve("README.md"))) {
                docs.add(folder + "/README.md");
            }
        }
        try (Stream<Path> guides = Files.list(ROOT.resolve("docs"))) {
            guides.map(guide -> "docs/" + guide.getFileName())
                    .filter(guide -> guide.endsWith(".md"))
                    .sorted()
                    .forEach(docs::add);
        }
        return docs;
    }

    @ParameterizedTest
    @MethodSource("docs")
    void everyFileDashboardAndTableADocNamesExists(String doc) throws IOException {
        assertThat(repository.missingIn(doc, Files.readString(ROOT.resolve(doc))))
                .as("names in " + doc + " that the repository does not have")
                .isEmpty();
    }

    @Test
    void aDocNamingWhatIsNotThereIsReportedWithItsLine() {
        String doc = """
                Run `scripts/start.sh`, read [the guide](docs/architecture.md), [the old one](docs/old-guide.md) and
                `docs/no-such-guide.md`; `clickhouse/config/kafka.xml` moved, `kafka.xml` did not. Not paths:
                `./mvnw -pl docs verify`, `apis/*/Dockerfile`, `NNN_<what>.sql`, `clickhouse/.../kafka.xml`,
                `/var/lib/grafana/dashboards`, `postgres:17-alpine`, [a site](https://example.com/x.md).
                Open the dashboards *Overview*, *Requests* and **Pipeline
                health**; read `analytics.request_metrics_1m`, `analytics.schema_migrations`, `analytics.<stream>_1m`,
                not `analytics.kafka_request_metrics_columns` (013 drops it).
                ```sql
                SELECT count() FROM analytics.request_metrics_5m -- `scripts/in-a-fence.sh`, dashboards *Requests*
                ```
                """;

        assertThat(repository.missingIn("made-up.md", doc))
                .containsExactlyInAnyOrder(
                        new Missing("made-up.md", 1, "link target", "docs/old-guide.md"),
                        new Missing("made-up.md", 2, "file", "docs/no-such-guide.md"),
                        new Missing("made-up.md", 2, "file", "clickhouse/config/kafka.xml"),
                        new Missing("made-up.md", 5, "dashboard", "Requests"),
                        new Missing("made-up.md", 7, "table", "analytics.kafka_request_metrics_columns"),
                        new Missing("made-up.md", 9, "table", "analytics.request_metrics_5m"));
    }

    /** A name in a doc that the repository does not have. */
    record Missing(String doc, int line, String kind, String name) {

        @Override
        public String toString() {
            return doc + ":" + line + " names the " + kind + " '" + name + "', which the repository does not have";
        }
    }

    /** What the docs may name: the repository's files and folders, its dashboards' titles, its schema's tables. */
    record Repository(
            Path root, Set<String> topFolders, Set<String> paths, Set<String> dashboards, Set<String> tables) {

        /** Build output, version control and the stack's runtime data: never what a doc means by a path. */
        private static final Set<String> NOT_SOURCES = Set.of(".git", "target", "node_modules", ".data", ".idea");

        private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
        private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        private static final Pattern URL_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:");
        private static final Pattern NOT_A_PATH = Pattern.compile("\\s|[*<>{}$:]|\\.\\.\\.|NNN_|^/");
        private static final Pattern KNOWN_EXTENSION = Pattern.compile("\\w\\.(?:md|ya?ml|sql|sh|json|java|xml|avsc)$");

        // Emphasis as Markdown reads it: no space just inside the stars, so a bullet ("* item") is no name.
        private static final String NAME = "\\*{1,2}(?!\\s)([^*]+?)(?<!\\s)\\*{1,2}";
        private static final String SEPARATOR = "\\s*,\\s*(?:and\\s+|or\\s+)?|\\s+and\\s+|\\s+or\\s+|\\s*\u00b7\\s*";
        private static final Pattern EMPHASIS = Pattern.compile(NAME);
        private static final Pattern DASHBOARD_LIST =
                Pattern.compile("(?i)\\bdashboards?\\s+(" + NAME + "(?:(?:" + SEPARATOR + ")" + NAME + ")*)");

        private static final Pattern ANALYTICS_TABLE = Pattern.compile("(?<![\\w.$/-])analytics\\.(\\w+)(?![\\w<{*$])");

        static Repository read(Path root, Path engineData) throws IOException {
            return new Repository(
                    root, topFoldersOf(root), pathsUnder(root), dashboardTitlesOf(root), tablesOf(engineData));
        }

        static Set<String> topFoldersOf(Path root) throws IOException {
            Set<String> folders = new TreeSet<>();
            try (Stream<Path> children = Files.list(root)) {
                children.filter(Files::isDirectory)
                        .map(child -> child.getFileName().toString())
                        .filter(name -> !NOT_SOURCES.contains(name))
                        .forEach(folders::add);
            }
            return folders;
        }

        /** Every file and folder, relative to the root with {@code /} between names. */
        static Set<String> pathsUnder(Path root) throws IOException {
            Set<String> paths = new HashSet<>();
            Files.walkFileTree(root, new SimpleFileVisitor<Path>() {
                @Override
                public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                    if (NOT_SOURCES.contains(folder.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    paths.add(relative(root, folder));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    paths.add(relative(root, file));
                    return FileVisitResult.CONTINUE;
                }
            });
            return paths;
        }

        private static String relative(Path root, Path path) {
            return root.relativize(path).toString().replace('\\', '/');
        }

        /** The dashboards' own titles, read as Grafana reads the provisioned files. */
        static Set<String> dashboardTitlesOf(Path root) {
            Set<String> titles = new TreeSet<>();
            for (Path file : Dashboards.ofRepository(root).files()) {
                titles.add(Dashboards.read(file).path("title").asText());
            }
            return titles;
        }

        /**
         * The tables, views and dictionaries of {@code analytics} as the real engine has them after every schema file
         * was applied (a table a later file drops is gone), the runner's ledger included.
         */
        static Set<String> tablesOf(Path data) {
            try (var clickHouse = EmbeddedClickHouse.start(data, SchemaVariables.defaults())) {
                return new TreeSet<>(clickHouse
                        .engine()
                        .query("SELECT name FROM system.tables WHERE database = 'analytics'")
                        .lines()
                        .toList());
            }
        }

        /** The names in {@code text}, the content of {@code doc} (relative to the root), that do not exist. */
        List<Missing> missingIn(String doc, String text) {
            Path folder = root.resolve(doc).getParent();
            String prose = withoutFencedBlocks(text);
            List<Missing> missing = new ArrayList<>();

            Matcher code = INLINE_CODE.matcher(prose);
            while (code.find()) {
                String token = code.group(1);
                String path = token.startsWith("./") ? token.substring(2) : token;
                if (looksLikePath(path) && !pathExists(folder, path)) {
                    missing.add(new Missing(doc, lineOf(text, code.start(1)), "file", token));
                }
            }

            Matcher link = LINK.matcher(prose);
            while (link.find()) {
                String target = link.group(1).replaceFirst("[#?].*", "");
                if (target.isEmpty() || URL_SCHEME.matcher(target).lookingAt()) {
                    continue;
                }
                Path linked = target.startsWith("/") ? root.resolve(target.substring(1)) : folder.resolve(target);
                if (!Files.exists(linked)) {
                    missing.add(new Missing(doc, lineOf(text, link.start(1)), "link target", link.group(1)));
                }
            }

            Matcher list = DASHBOARD_LIST.matcher(prose);
            while (list.find()) {
                Matcher name = EMPHASIS.matcher(list.group(1));
                while (name.find()) {
                    String title = name.group(1).strip().replaceAll("\\s+", " ");
                    if (!dashboards.contains(title)) {
                        missing.add(new Missing(doc, lineOf(text, list.start(1) + name.start()), "dashboard", title));
                    }
                }
            }

            Matcher table = ANALYTICS_TABLE.matcher(text);
            while (table.find()) {
                if (!tables.contains(table.group(1))) {
                    missing.add(new Missing(doc, lineOf(text, table.start()), "table", table.group()));
                }
            }
            return missing;
        }

        private boolean looksLikePath(String token) {
            if (NOT_A_PATH.matcher(token).find()) {
                return false;
            }
            return startsWithTopFolder(token) || KNOWN_EXTENSION.matcher(token).find();
        }

        private boolean startsWithTopFolder(String token) {
            int slash = token.indexOf('/');
            return slash > 0 && topFolders.contains(token.substring(0, slash));
        }

        private boolean pathExists(Path folder, String token) {
            String path = token.endsWith("/") ? token.substring(0, token.length() - 1) : token;
            if (Files.exists(folder.resolve(path))) {
                return true;
            }
            if (startsWithTopFolder(token)) {
                return Files.exists(root.resolve(path));
            }
            return paths.stream().anyMatch(known -> known.equals(path) || known.endsWith("/" + path));
        }

        /** The text with its fenced code blocks blanked out, so offsets and line numbers stay those of the text. */
        private static String withoutFencedBlocks(String text) {
            StringBuilder prose = new StringBuilder(text.length() + 1);
            boolean fenced = false;
            for (String line : text.split("\n", -1)) {
                boolean fence = line.strip().startsWith("```");
                prose.append(fenced || fence ? " ".repeat(line.length()) : line).append('\n');
                if (fence) {
                    fenced = !fenced;
                }
            }
            return prose.substring(0, text.length());
        }

        private static int lineOf(String text, int offset) {
            return (int) text.substring(0, offset)
                            .chars()
                            .filter(c -> c == '\n')
                            .count()
                    + 1;
        }
    }
}
