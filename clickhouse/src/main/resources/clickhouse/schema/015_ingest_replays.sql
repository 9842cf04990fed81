-- Replays of rejected messages (scripts/replay-ingest-errors.sh): after a schema or producer fix, a message of
-- ingest_errors is sent back to its topic, marked with headers, and goes through ingestion like any other: the
-- stream's views write its rows when it parses now, its error view a new ingest_errors row when it fails again.
-- Here ClickHouse itself records each replayed copy as it consumes it, with its outcome: the replay tool waits for
-- these rows to report how many parsed, and never replays a message that has one (a second run does nothing; with
-- --retry-failed, one whose every copy failed). Nothing but the Kafka tables writes here, so the tool needs no
-- write grant and the ledger is right in both modes and on every shard.
CREATE TABLE IF NOT EXISTS analytics.ingest_replays${LOCAL} ${ON_CLUSTER}
(
    recorded_at      DateTime64(3),
    run_id           String,
    topic            LowCardinality(String),
    -- the replayed message's coordinates in ingest_errors
    partition        UInt64,
    offset           UInt64,
    -- the copy's, as consumed; a copy that failed again is the ingest_errors row at these coordinates
    replay_partition UInt64,
    replay_offset    UInt64,
    parsed           Bool,
    error            String CODEC(ZSTD(3))
)
ENGINE = ${REPLICATED}MergeTree${REPLICA}
PARTITION BY toYYYYMM(recorded_at)
-- Serves "has this message been replayed" (by its coordinates) for one topic.
ORDER BY (topic, partition, offset, recorded_at)
-- Kept as long as the errors it marks: an error row outliving its mark would be replayed again.
TTL toDateTime(recorded_at) + INTERVAL ${CH_INGEST_ERRORS_TTL_DAYS} DAY;

-- In the cluster, readers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.ingest_replays ${ON_CLUSTER} AS analytics.ingest_replays_local
ENGINE = Distributed(${CLUSTER}, analytics, ingest_replays_local, rand());

${INCLUDE ingest_replays_view STREAM=request_metrics};

${INCLUDE ingest_replays_view STREAM=business_events};

${INCLUDE ingest_replays_view STREAM=system_metrics};
