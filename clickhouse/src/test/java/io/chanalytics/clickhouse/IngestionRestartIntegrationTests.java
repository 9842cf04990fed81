package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chanalytics.events.RequestEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart mid-stream: a first engine lifetime (a child JVM, because chDB's Kafka engine cannot start twice in one
 * process) consumes part of the stream and is closed while events keep arriving; a second lifetime (this JVM)
 * reopens the same data path and catches up. The Kafka engine commits a block's offsets right after writing it, so
 * nothing is lost; this clean close left nothing written-but-uncommitted, so nothing is read twice either.
 */
class IngestionRestartIntegrationTests {

    private static final int BATCH = 300;
    private static final int CHUNK = 10;

    @TempDir
    Path workDirectory;

    @Test
    void closingAndReopeningTheEngineMidStreamLosesAndDuplicatesNothing() throws Exception {
        Path dataPath = workDirectory.resolve("clickhouse");
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        List<RequestEvent> events = TestEvents.generate(11, 3 * BATCH, 0, 0, start, Duration.ofMinutes(30))
                .requests();

        try (IngestionStack stack = IngestionStack.start()) {
            Process first = startEngineProcess(dataPath, stack);
            AtomicBoolean ready = new AtomicBoolean();
            AtomicLong lastCount = new AtomicLong();
            List<String> output = new ArrayList<>();
            Thread.ofPlatform().daemon().start(() -> follow(first, ready, lastCount, output));
            CompletableFuture<Void> secondBatch;
            try {
                await("first engine ready").atMost(Duration.ofSeconds(90)).untilTrue(ready);

                stack.publishAll(events.subList(0, BATCH));
                await("first batch consumed by the first engine")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> lastCount.get() == BATCH);

                // Mid-stream: the second batch trickles in, paced by what the engine has written, and the engine
                // is closed after two chunks of it, so the rest is published while it closes and while it is down.
                AtomicBoolean closing = new AtomicBoolean();
                secondBatch = CompletableFuture.runAsync(() -> {
                    for (int from = BATCH; from < 2 * BATCH; from += CHUNK) {
                        stack.publishAll(events.subList(from, from + CHUNK));
                        long written = from + CHUNK;
                        await("chunk written or engine closing")
                                .atMost(Duration.ofSeconds(30))
                                .until(() -> closing.get() || lastCount.get() >= written);
                    }
                });
                await("first engine consumed part of the second batch")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> lastCount.get() >= BATCH + 2 * CHUNK);
                closing.set(true);
                try (Writer stdin = new OutputStreamWriter(first.getOutputStream(), StandardCharsets.UTF_8)) {
                    stdin.write(EngineProcess.CLOSE + "\n");
                }
                assertThat(first.waitFor(60, TimeUnit.SECONDS))
                        .as("first engine exited")
                        .isTrue();
                assertThat(first.exitValue())
                        .as("first engine exit code, output %s", output)
                        .isZero();
                assertThat(secondBatch)
                        .as("closed before the second batch was complete")
                        .isNotDone();
            } finally {
                first.destroyForcibly();
            }
            long beforeRestart = lastCount.get();
            secondBatch.get(60, TimeUnit.SECONDS);
            stack.publishAll(events.subList(2 * BATCH, 3 * BATCH));

            long reopening = System.nanoTime();
            try (EmbeddedClickHouse clickHouse = stack.startClickHouse(dataPath)) {
                long assigned = System.nanoTime();
                ChDb engine = clickHouse.engine();
                await("all events after the restart")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> engine.queryLong("SELECT uniqExact(event_id) FROM analytics.request_metrics")
                                == 3L * BATCH);
                long total = engine.queryLong("SELECT count() FROM analytics.request_metrics");
                System.out.printf(
                        "observed: restart: %d of %d rows written before the close; after reopening, consumers"
                                + " assigned in %d ms, all %d rows after %d ms; count() %d%n",
                        beforeRestart,
                        2 * BATCH,
                        (assigned - reopening) / 1_000_000,
                        3 * BATCH,
                        (System.nanoTime() - reopening) / 1_000_000,
                        total);
                assertThat(beforeRestart)
                        .as("rows the first engine wrote: part of the second batch")
                        .isBetween((long) BATCH + 2 * CHUNK, 2L * BATCH - CHUNK);
                assertThat(total).as("count() equals uniqExact(event_id)").isEqualTo(3L * BATCH);
                assertThat(engine.queryLong("SELECT count() FROM analytics.request_metrics FINAL"))
                        .isEqualTo(3L * BATCH);
                assertThat(engine.queryLong("SELECT countMerge(requests) FROM analytics.request_metrics_1m"))
                        .as("the rollup counted every event once")
                        .isEqualTo(3L * BATCH);
            }
        }
    }

    private Process startEngineProcess(Path dataPath, IngestionStack stack) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-D" + ChDbLibraryLocator.PROPERTY + "="
                + ChDbLibraryLocator.forCurrentProcess().locate());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EngineProcess.class.getName());
        command.add(dataPath.toString());
        stack.schemaVariables().forEach((name, value) -> command.add(name + "=" + value));
        Path stderr = Files.createDirectories(workDirectory).resolve("engine-process.err");
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }

    private static void follow(Process process, AtomicBoolean ready, AtomicLong lastCount, List<String> output) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(EngineProcess.READY)) {
                    ready.set(true);
                } else if (line.startsWith(EngineProcess.COUNT)) {
                    lastCount.set(Long.parseLong(line.substring(EngineProcess.COUNT.length())));
                } else {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended; its exit code tells the test what happened.
        }
    }
}
