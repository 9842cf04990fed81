package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chanalytics.stack.RepositoryLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * On a Windows checkout with {@code core.autocrlf}, a script's shebang becomes {@code bash\r} and the containers that
 * run it exit: every file bash or a container's tool reads must be checked out with LF, whatever the user's Git
 * settings. Asked of Git itself ({@code git check-attr}), which applies {@code .gitattributes} as a checkout would.
 */
class LineEndingsTests {

    private static final Pattern READ_IN_CONTAINERS_OR_BY_BASH =
            Pattern.compile("(.*\\.(sh|env|xml|sql|yml|yaml|conf|json)|.*Dockerfile|mvnw|\\.ci/run|\\.env)");

    @Test
    void everyFileThatBashOrAContainerReadsIsCheckedOutWithLf() throws Exception {
        List<String> files = git(List.of("ls-files")).stream()
                .filter(file -> READ_IN_CONTAINERS_OR_BY_BASH.matcher(file).matches())
                .toList();
        assertThat(files).contains("scripts/start.sh", ".env", "mvnw", "clickhouse/docker/users.d/grafana.xml");

        List<String> command = new ArrayList<>(List.of("check-attr", "eol", "--"));
        command.addAll(files);
        Map<String, String> eol = new TreeMap<>();
        for (String line : git(command)) {
            // "<path>: eol: <value>"
            int split = line.lastIndexOf(": eol: ");
            eol.put(line.substring(0, split), line.substring(split + ": eol: ".length()));
        }

        assertThat(eol).hasSize(files.size());
        assertThat(eol).allSatisfy((file, value) -> assertThat(value).as(file).isEqualTo("lf"));
    }

    private static List<String> git(List<String> arguments) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("git", "-C", RepositoryLayout.root().toString()));
        command.addAll(arguments);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "git is not installed: " + e.getMessage());
            throw e;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assumeTrue(process.exitValue() == 0 || !output.contains("not a git repository"), "not a Git checkout");
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
        return output.lines().toList();
    }
}
