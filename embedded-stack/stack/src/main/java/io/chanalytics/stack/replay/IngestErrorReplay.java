package io.chanalytics.stack.replay;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.schema.ClickHouseHttpSession;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.verify.StackVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends rejected messages back through ingestion once, after a schema or producer fix: the raw bytes of
 * {@code analytics.ingest_errors} for a topic and time range go back to their topic, each with the headers
 * {@code chanalytics-replay-of} (its partition and offset) and {@code chanalytics-replay-run}, so ClickHouse's own
 * views record each copy's outcome in {@code analytics.ingest_replays} as they consume it. The run waits for those
 * records and reports how many parsed and how many failed again; the originals stay in {@code ingest_errors}, and a
 * second run skips every message already replayed. {@code scripts/replay-ingest-errors.sh} runs it against either
 * mode's stack.
 *
 * <p>Delivery is at least once: a run stopped after sending and before ClickHouse recorded its copies can send them
 * again; a message that parses twice is still one raw row (ReplacingMergeTree by event id).
 */
public final class IngestErrorReplay {

    static final String REPLAY_OF = "chanalytics-replay-of";
    static final String REPLAY_RUN = "chanalytics-replay-run";

    /** What a run did. {@code pending}: copies sent that ClickHouse had not recorded when the wait ended. */
    public record Report(
            int replayed,
            long parsed,
            long failedAgain,
            long pending,
            long parsedBefore,
            long failedBefore,
            long beyondLimit,
            String firstError) {

        /** Every copy parsed, or nothing was left to replay. */
        public boolean clean() {
            return failedAgain == 0 && pending == 0;
        }
    }

    private final SqlSession clickHouse;
    private final String bootstrapServers;

    public IngestErrorReplay(SqlSession clickHouse, String bootstrapServers) {
        this.clickHouse = clickHouse;
        this.bootstrapServers = bootstrapServers;
    }

    public static void main(String[] args) {
        ReplayOptions options;
        try {
            options = ReplayOptions.parse(Arrays.asList(args), Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println("replay-ingest-errors: " + e.getMessage() + " (" + ReplayOptions.USAGE + ")");
            System.exit(2);
            return;
        }
        var target = StackVerifier.Target.fromEnvironment(System::getenv, RepositoryLayout.root());
        var clickHouse = new ClickHouseHttpSession(
                target.clickHouse(), target.clickHouseUser(), target.clickHousePassword(), Duration.ofSeconds(60));
        Report report = new IngestErrorReplay(clickHouse, target.bootstrapServers()).run(options);
        System.out.println(describe(options, report));
        System.exit(report.clean() ? 0 : 1);
    }

    public Report run(ReplayOptions options) {
        var messages = new RejectedMessages(clickHouse);
        RejectedMessages.Selection selection = messages.select(options);
        List<RejectedMessages.Rejected> eligible = selection.eligible();
        if (options.dryRun() || eligible.isEmpty()) {
            return new Report(
                    eligible.size(),
                    0,
                    0,
                    0,
                    selection.parsedBefore(),
                    selection.failedBefore(),
                    selection.beyondLimit(),
                    "");
        }
        String runId = UUID.randomUUID().toString();
        send(options.topic(), eligible, runId);
        RejectedMessages.Outcome outcome = awaitOutcome(messages, runId, eligible.size(), options.consumeWait());
        return new Report(
                eligible.size(),
                outcome.parsed(),
                outcome.failed(),
                eligible.size() - outcome.recorded(),
                selection.parsedBefore(),
                selection.failedBefore(),
                selection.beyondLimit(),
                outcome.firstError());
    }

    /** Sends every copy and waits for the broker's acknowledgements: an unacknowledged copy fails the run. */
    private void send(String topic, List<RejectedMessages.Rejected> eligible, String runId) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                15_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                45_000);
        try (var producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(eligible.size());
            for (RejectedMessages.Rejected message : eligible) {
                var record = new ProducerRecord<byte[], byte[]>(topic, null, null, message.message());
                record.headers()
                        .add(new RecordHeader(
                                REPLAY_OF,
                                (message.partition() + ":" + message.offset()).getBytes(StandardCharsets.UTF_8)))
                        .add(new RecordHeader(REPLAY_RUN, runId.getBytes(StandardCharsets.UTF_8)));
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> acknowledgement : sent) {
                acknowledgement.get(60, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + bootstrapServers + " did not take every copy (a run again sends what was not "
                            + "recorded): " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        }
    }

    private static RejectedMessages.Outcome awaitOutcome(
            RejectedMessages messages, String runId, int sent, Duration wait) {
        Instant deadline = Instant.now().plus(wait);
        RejectedMessages.Outcome outcome = messages.outcome(runId);
        while (outcome.recorded() < sent && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome;
            }
            outcome = messages.outcome(runId);
        }
        return outcome;
    }

    /** The report as the script prints it. */
    public static String describe(ReplayOptions options, Report report) {
        var out = new StringBuilder(String.format(
                Locale.ROOT,
                "replay-ingest-errors: %s, received from %s to %s%n",
                options.topic(),
                RejectedMessages.describe(options.from()),
                RejectedMessages.describe(options.to())));
        if (report.parsedBefore() + report.failedBefore() > 0) {
            out.append(String.format(
                    Locale.ROOT,
                    "  skipped, replayed before: %d parsed, %d failed again%s%n",
                    report.parsedBefore(),
                    report.failedBefore(),
                    report.failedBefore() > 0 ? " (--retry-failed sends these again)" : ""));
        }
        if (options.dryRun()) {
            out.append(String.format(Locale.ROOT, "  would replay %d (dry run: nothing sent)%n", report.replayed()));
        } else if (report.replayed() == 0) {
            out.append("  nothing to replay\n");
        } else {
            out.append(String.format(
                    Locale.ROOT,
                    "  replayed %d: %d parsed, %d failed again%s%n",
                    report.replayed(),
                    report.parsed(),
                    report.failedAgain(),
                    report.failedAgain() > 0
                            ? " (left in analytics.ingest_errors; first error: " + report.firstError() + ")"
                            : ""));
            if (report.pending() > 0) {
                out.append(String.format(
                        Locale.ROOT,
                        "  %d not consumed by ClickHouse within --wait %d s: is the stack ingesting?%n",
                        report.pending(),
                        options.consumeWait().toSeconds()));
            }
        }
        if (report.beyondLimit() > 0) {
            out.append(String.format(
                    Locale.ROOT, "  %d more beyond --limit %d: run again%n", report.beyondLimit(), options.limit()));
        }
        return out.toString();
    }
}
