package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Messages the Kafka tables read more than once, from the block ledger {@code analytics.ingest_blocks} (schema file
 * 016): a block whose offset range starts at or below the highest offset an earlier block of the same topic and
 * partition reached was read again, from its first offset up to there. Each such block says which event-time
 * minutes it wrote: the rollup rows that counted its messages twice.
 *
 * <p>The earlier blocks are looked for among those written within {@link #LOOKBACK} before the period asked about,
 * so that a run reads a day of the ledger rather than all of it: a block read again more than a day after its first
 * read (a consumer group stopped for longer than that between a write and its commit) is not found.
 */
public final class Redeliveries {

    /** A block that read {@code messagesReadAgain} messages a second time, its rows in [firstMinute, lastMinute]. */
    public record Redelivery(
            String stream,
            String topic,
            long partition,
            long firstOffset,
            long lastOffset,
            long messagesReadAgain,
            Instant firstMinute,
            Instant lastMinute,
            Instant writtenAt) {}

    // Blocks in offset order per topic and partition; the running maximum of the earlier blocks' last offsets (NULL
    // for the first block, so it never counts) says how far the partition had already been read.
    public static final Duration LOOKBACK = Duration.ofDays(1);

    private static final String QUERY = """
            SELECT stream, topic, partition, first_offset, last_offset,
                   least(last_offset, seen_up_to) - first_offset + 1 AS read_again,
                   toUnixTimestamp(first_minute), toUnixTimestamp(last_minute), toUnixTimestamp64Milli(written_at)
            FROM (
                SELECT *, max(toNullable(last_offset)) OVER (
                    PARTITION BY topic, partition ORDER BY first_offset, written_at
                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS seen_up_to
                FROM analytics.ingest_blocks
                WHERE stream = {stream:String} AND written_at >= fromUnixTimestamp64Milli({lookback:Int64})
            )
            WHERE first_offset <= seen_up_to AND written_at > fromUnixTimestamp64Milli({since:Int64})
            ORDER BY written_at, partition
            """;

    private final SqlSession clickHouse;

    public Redeliveries(SqlSession clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** The blocks of {@code stream} written after {@code since} that read messages again, oldest first. */
    public List<Redelivery> of(String stream, Instant since) {
        Instant lookback = since.equals(Instant.EPOCH) ? since : since.minus(LOOKBACK);
        return clickHouse
                .query(
                        QUERY,
                        Map.of(
                                "stream",
                                stream,
                                "since",
                                Long.toString(since.toEpochMilli()),
                                "lookback",
                                Long.toString(lookback.toEpochMilli())))
                .lines()
                .map(line -> line.split("\t", -1))
                .map(fields -> new Redelivery(
                        fields[0],
                        fields[1],
                        Long.parseLong(fields[2]),
                        Long.parseLong(fields[3]),
                        Long.parseLong(fields[4]),
                        Long.parseLong(fields[5]),
                        Instant.ofEpochSecond(Long.parseLong(fields[6])),
                        Instant.ofEpochSecond(Long.parseLong(fields[7])),
                        Instant.ofEpochMilli(Long.parseLong(fields[8]))))
                .toList();
    }
}
