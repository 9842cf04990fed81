package io.chanalytics.stack.replay;

import io.chanalytics.clickhouse.SqlSession;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse side of a replay: the messages of {@code analytics.ingest_errors} a run may send again, and what
 * ClickHouse recorded in {@code analytics.ingest_replays} as it consumed a run's copies (schema file 015). Values are
 * bound parameters, never SQL text.
 */
final class RejectedMessages {

    /** A message that did not parse, at its coordinates in its topic. */
    record Rejected(long partition, long offset, byte[] message) {}

    /**
     * The messages received in the range: {@code eligible} to send now, and how many were left out because an earlier
     * run replayed them ({@code parsedBefore}: a copy parsed; {@code failedBefore}: every copy failed again).
     */
    record Selection(List<Rejected> eligible, long parsedBefore, long failedBefore, long beyondLimit) {}

    /** What ClickHouse recorded of one run's copies so far. */
    record Outcome(long parsed, long failed, String firstError) {
        long recorded() {
            return parsed + failed;
        }
    }

    /** How the report shows a time. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    // One row per message: an error row may repeat (the Kafka engine can read a message twice), and the copies a
    // replay made that failed again are errors of their own, never replayed themselves. GLOBAL: in the cluster the
    // subqueries read every shard's ledger once, not each shard its own.
    private static final String SELECT = """
            SELECT partition, offset, state, if(state = 'eligible', base64Encode(message), '')
            FROM (
                SELECT partition, offset, any(raw_message) AS message,
                    multiIf((partition, offset) GLOBAL IN replayed_parsed, 'parsed',
                            (partition, offset) GLOBAL IN replayed AND NOT {retry_failed:Bool}, 'failed',
                            'eligible') AS state
                FROM analytics.ingest_errors
                WHERE topic = {topic:String}
                  AND received_at >= fromUnixTimestamp64Milli({from:Int64})
                  AND received_at < fromUnixTimestamp64Milli({to:Int64})
                  AND (partition, offset) GLOBAL NOT IN copies
                GROUP BY partition, offset
            )
            ORDER BY state = 'eligible' DESC, partition, offset
            """;

    private static final String LEDGER_SUBQUERIES = """
            WITH
                replayed_parsed AS (SELECT partition, offset FROM analytics.ingest_replays
                                    WHERE topic = {topic:String} AND parsed),
                replayed AS (SELECT partition, offset FROM analytics.ingest_replays WHERE topic = {topic:String}),
                copies AS (SELECT replay_partition, replay_offset FROM analytics.ingest_replays
                           WHERE topic = {topic:String})
            """;

    private static final String OUTCOME = """
            SELECT countIf(parsed), countIf(NOT parsed), anyIf(error, NOT parsed)
            FROM (
                SELECT replay_partition, replay_offset, any(parsed) AS parsed, any(error) AS error
                FROM analytics.ingest_replays
                WHERE run_id = {run:String}
                GROUP BY replay_partition, replay_offset
            )
            """;

    private final SqlSession clickHouse;

    RejectedMessages(SqlSession clickHouse) {
        this.clickHouse = clickHouse;
    }

    Selection select(ReplayOptions options) {
        String result = clickHouse.query(
                LEDGER_SUBQUERIES + SELECT,
                Map.of(
                        "topic", options.topic(),
                        "from", Long.toString(options.from().toEpochMilli()),
                        "to", Long.toString(options.to().toEpochMilli()),
                        "retry_failed", Boolean.toString(options.retryFailed())));
        List<Rejected> eligible = new ArrayList<>();
        long parsedBefore = 0;
        long failedBefore = 0;
        long beyondLimit = 0;
        for (String line : result.lines().toList()) {
            String[] fields = line.split("\t", -1);
            switch (fields[2]) {
                case "parsed" -> parsedBefore++;
                case "failed" -> failedBefore++;
                default -> {
                    if (eligible.size() < options.limit()) {
                        eligible.add(new Rejected(
                                Long.parseLong(fields[0]),
                                Long.parseLong(fields[1]),
                                Base64.getDecoder().decode(fields[3])));
                    } else {
                        beyondLimit++;
                    }
                }
            }
        }
        return new Selection(List.copyOf(eligible), parsedBefore, failedBefore, beyondLimit);
    }

    Outcome outcome(String runId) {
        // The first line as it is: strip() would take the tab before an empty error.
        String[] fields = clickHouse
                .query(OUTCOME, Map.of("run", runId))
                .lines()
                .findFirst()
                .orElseThrow()
                .split("\t", -1);
        return new Outcome(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2]);
    }

    /** When the range's messages were received, as the report says it. */
    static String describe(Instant instant) {
        return instant.equals(Instant.EPOCH) ? "the first kept" : DATE_TIME.format(instant) + " UTC";
    }
}
