package io.chanalytics.simulator;

import io.gatling.app.Gatling$;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@link LoadSimulation} without Maven, for the compose container: {@code java -cp ... SimulatorMain
 * [resultsFolder]}. Exits with Gatling's status: non-zero when an assertion failed or the configuration is wrong.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        Path results = Path.of(args.length > 0 ? args[0] : "target/gatling");
        System.exit(run(results));
    }

    /** Runs the simulation in this JVM and returns Gatling's exit status (0 when every assertion held). */
    public static int run(Path resultsFolder) {
        return Gatling$.MODULE$.fromArgs(arguments(resultsFolder).toArray(String[]::new));
    }

    static List<String> arguments(Path resultsFolder) {
        return List.of(
                "--simulation",
                LoadSimulation.class.getName(),
                "--results-folder",
                resultsFolder.toAbsolutePath().toString(),
                "--launcher",
                "chanalytics-simulator",
                "--build-tool-version",
                "0");
    }
}
