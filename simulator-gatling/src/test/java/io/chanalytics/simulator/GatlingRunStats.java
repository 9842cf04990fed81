package io.chanalytics.simulator;

import io.gatling.charts.stats.GeneralStats;
import io.gatling.charts.stats.LogFileData;
import io.gatling.charts.stats.LogFileReader;
import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.Status;
import io.gatling.core.config.GatlingConfiguration$;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import scala.Option;

/**
 * What Gatling itself reports for a run, read from its {@code simulation.log} with Gatling's own reader (the one its
 * HTML report uses), so the test compares against the numbers a user sees in the report.
 */
record GatlingRunStats(long requests, long failed, int p95Millis, double meanRequestsPerSecond) {

    static GatlingRunStats readLatest(Path resultsFolder) {
        LogFileData data = read(resultsFolder);
        GeneralStats all = data.requestGeneralStats(Option.empty(), Option.empty(), Option.empty())
                .get();
        Option<GeneralStats> failed =
                data.requestGeneralStats(Option.empty(), Option.empty(), Option.<Status>apply(KO$.MODULE$));
        return new GatlingRunStats(
                all.count(),
                failed.isDefined() ? failed.get().count() : 0,
                (Integer) all.percentile().apply(95.0),
                all.meanRequestsPerSec());
    }

    /** How many requests of one name (e.g. {@code GET /products/{id}}) the latest run sent. */
    static long countOf(Path resultsFolder, String requestName) {
        LogFileData data = read(resultsFolder);
        Option<GeneralStats> stats =
                data.requestGeneralStats(Option.apply(requestName), Option.empty(), Option.empty());
        return stats.isDefined() ? stats.get().count() : 0;
    }

    private static LogFileData read(Path resultsFolder) {
        return new LogFileReader(latestLog(resultsFolder).toFile(), GatlingConfiguration$.MODULE$.load()).read();
    }

    private static Path latestLog(Path resultsFolder) {
        try (Stream<Path> runs = Files.list(resultsFolder)) {
            return runs.filter(run -> Files.isRegularFile(run.resolve("simulation.log")))
                    .max(Comparator.comparing(run -> run.getFileName().toString()))
                    .map(run -> run.resolve("simulation.log"))
                    .orElseThrow(() -> new IllegalStateException("no simulation.log under " + resultsFolder));
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
