package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.ServiceProcess;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images build from the repository root with {@code .dockerignore} applied, and Maven reads the pom.xml of every
 * module of the reactor even when it builds one ({@code -pl apis/crud-api -am}): a module whose pom the context leaves
 * out fails every image's build ("Child module ... does not exist").
 */
class DockerBuildContextTests {

    private static final Path ROOT = RepositoryLayout.root();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void everyModulePomOfTheReactorIsInTheBuildContext() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));
        List<String> poms = modulePoms(Path.of("pom.xml"));

        assertThat(poms).as("poms of the reactor").hasSizeGreaterThan(10);
        assertThat(poms).as("poms .dockerignore leaves out").noneMatch(ignore::excludes);
    }

    @Test
    void theIgnoreFileStillLeavesOutWhatItShould() throws IOException {
        DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));

        assertThat(List.of("docs/architecture.md", "grafana/dashboards/overview.json", "clickhouse/target/x.jar"))
                .allMatch(ignore::excludes);
        assertThat(ignore.excludes("clickhouse/pom.xml")).isFalse();
    }

    /**
     * The service image runs its exec jar with {@code java -jar} and no {@code --enable-native-access}: the JVM takes
     * {@code Enable-Native-Access: ALL-UNNAMED} from the manifest of the jar it launches (JEP 472), so the jar the build
     * stage copies must carry it, or Netty's native transport warns and JDKs that deny restricted calls refuse it.
     */
    @Test
    void theServiceImageRunsTheExecJarWhoseManifestGrantsNativeAccess() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("apis/Dockerfile"));
        assertThat(dockerfile)
                .contains("cp \"apis/${SERVICE}/target/${SERVICE}\"-*-exec.jar /tmp/app.jar")
                .containsPattern("ENTRYPOINT \\[\"java\"[^\\]]*\"-jar\", \"/app/app.jar\"]")
                .doesNotContain("--enable-native-access");
        for (String service : List.of("crud-api", "ecommerce-api")) {
            Path jar = ServiceProcess.builtJar(service);
            try (var file = new JarFile(jar.toFile())) {
                assertThat(file.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
                        .as(jar.toString())
                        .isEqualTo("ALL-UNNAMED");
            }
        }
    }

    /** The root pom and every module's pom under it, as paths relative to the repository root. */
    private static List<String> modulePoms(Path pom) throws IOException {
        List<String> poms = new ArrayList<>(List.of(pom.toString()));
        Matcher module = MODULE.matcher(Files.readString(ROOT.resolve(pom)));
        while (module.find()) {
            Path child = pom.resolveSibling(module.group(1).strip())
                    .resolve("pom.xml")
                    .normalize();
            poms.addAll(modulePoms(child));
        }
        return poms;
    }

    /**
     * Docker's reading of the file: one pattern a line, {@code #} comments, {@code !} re-includes, the last matching
     * line decides, and a pattern that matches a folder leaves out everything under it.
     */
    private record DockerIgnore(List<String> patterns) {

        static DockerIgnore read(Path file) throws IOException {
            return new DockerIgnore(Files.readAllLines(file).stream()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList());
        }

        boolean excludes(String path) {
            boolean excluded = false;
            for (String line : patterns) {
                boolean exception = line.startsWith("!");
                String pattern = (exception ? line.substring(1) : line).replaceAll("/+$", "");
                if (matchesItselfOrAParent(pattern, Path.of(path))) {
                    excluded = !exception;
                }
            }
            return excluded;
        }

        private static boolean matchesItselfOrAParent(String pattern, Path path) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            // "**/x" also matches x at the root in Docker's reading.
            PathMatcher atRoot = pattern.startsWith("**/")
                    ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3))
                    : matcher;
            for (Path prefix = path; prefix != null; prefix = prefix.getParent()) {
                if (matcher.matches(prefix) || atRoot.matches(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
