package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chanalytics.stack.RepositoryLayout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The static checks read the compose files through {@link ComposeFile} (.env, anchors, extends); here that reading is
 * held to docker-compose's own ({@code docker-compose config}: interpolated, extends resolved) for every service of
 * both stacks: environment, image, health check, dependencies, mounts by container path and published ports. Skipped
 * where Debian's docker-compose is not installed (.ci/run installs it).
 */
class ComposeFileReaderTests {

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "docker-compose.cluster.yml"})
    void theReaderResolvesEachServiceAsDockerComposeDoes(String file) throws Exception {
        assumeTrue(ComposeFileTests.onPath("docker-compose"), "docker-compose is not on PATH (Debian's, 1.29)");
        Process process = new ProcessBuilder("docker-compose", "-f", file, "--profile", "simulator", "config")
                .directory(RepositoryLayout.root().toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Map<String, Map<String, Object>> expected = ComposeFile.servicesOf(new Yaml().load(output));
        Map<String, Map<String, Object>> actual = ComposeFile.servicesOf(ComposeFile.load(file));

        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((name, service) ->
                assertThat(comparable(actual.get(name))).as(name).isEqualTo(comparable(service)));
    }

    /** What both readings must agree on, in one form (docker-compose prints absolute paths and long port syntax). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> comparable(Map<String, Object> service) {
        Map<String, Object> view = new LinkedHashMap<>();
        Map<String, String> environment = new TreeMap<>();
        ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
                .forEach((key, value) -> environment.put(key, value == null ? "" : String.valueOf(value)));
        view.put("environment", environment);
        view.put("image", service.get("image"));
        Object health = ((Map<String, Object>) service.getOrDefault("healthcheck", Map.of())).get("test");
        // docker-compose prints a literal $ as $$ again.
        view.put("healthcheck", health == null ? null : String.valueOf(health).replace("$$", "$"));
        view.put("depends_on", new TreeMap<>((Map<String, Object>) service.getOrDefault("depends_on", Map.of())));
        Set<String> mounts = new TreeSet<>();
        for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
            String[] parts = String.valueOf(volume).split(":");
            mounts.add(parts.length > 1 ? parts[1] : parts[0]);
        }
        view.put("volumes", mounts);
        Set<String> ports = new TreeSet<>();
        for (Object port : (List<Object>) service.getOrDefault("ports", List.of())) {
            // Long syntax without a host address; with one, "address:published:target/tcp".
            ports.add(
                    port instanceof Map<?, ?> map
                            ? map.get("published") + ":" + map.get("target")
                            : ((String) port).replaceFirst("/tcp$", ""));
        }
        view.put("ports", ports);
        return view;
    }
}
