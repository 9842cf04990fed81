package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.engine.ChDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that opens the engine with a server config file and prints each statement's result, one block per
 * statement ending in a line {@code --}: how a test checks a config with environment variables of its own (the
 * engine reads {@code from_env} from its process's environment, which a test cannot set for itself), or needs a
 * server config at all (the engine reads one per process).
 */
final class ConfigProbe {

    static final String END = "--";
    /** Environment variables naming the query parameters the statements bind: {@code <prefix><name>=<value>}. */
    private static final String PARAMETER = "CONFIG_PROBE_PARAM_";

    private ConfigProbe() {}

    /** Arguments: data path, config file, then the statements; their parameters come from the environment. */
    public static void main(String[] args) {
        Map<String, String> parameters = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (name.startsWith(PARAMETER)) {
                parameters.put(name.substring(PARAMETER.length()), value);
            }
        });
        try (ChDb engine = ChDb.open(Path.of(args[0]), "--config-file=" + args[1])) {
            for (int i = 2; i < args.length; i++) {
                System.out.print(engine.query(args[i], parameters));
                System.out.println(END);
            }
        }
    }

    /**
     * Runs the statements on {@code config} in a child JVM whose environment holds {@code environment}, with its data
     * under {@code workDirectory}; returns each statement's result, and after the last complete one what the process
     * said (an error) if anything.
     */
    static List<String> run(Path workDirectory, Path config, Map<String, String> environment, List<String> statements)
            throws IOException, InterruptedException {
        return run(workDirectory, config, environment, statements, Map.of());
    }

    /** As above, the statements binding {@code parameters} to their {@code {name:Type}} placeholders. */
    static List<String> run(
            Path workDirectory,
            Path config,
            Map<String, String> environment,
            List<String> statements,
            Map<String, String> parameters)
            throws IOException, InterruptedException {
        List<String> command = EngineProcessHandle.javaCommand(ConfigProbe.class);
        command.add(workDirectory.resolve("engine-" + System.nanoTime()).toString());
        command.add(config.toAbsolutePath().toString());
        command.addAll(statements);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        parameters.forEach((name, value) -> builder.environment().put(PARAMETER + name, value));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("engine process finished")
                .isTrue();
        List<String> results = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.equals(END)) {
                results.add(current.toString());
                current.setLength(0);
            } else if (!line.isEmpty() || current.length() > 0) {
                current.append(line).append('\n');
            }
        }
        if (current.length() > 0) {
            results.add(current.toString());
        }
        return results;
    }
}
