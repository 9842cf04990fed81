-- Messages a Kafka engine table could not parse (garbage bytes, an unknown schema id, a type it cannot
-- convert). The Kafka tables use kafka_handle_error_mode = 'stream', so such a message becomes a row with
-- _error set instead of stopping its consumer; the <stream>_errors_mv views route those rows here.
CREATE TABLE IF NOT EXISTS analytics.ingest_errors${LOCAL} ${ON_CLUSTER}
(
    received_at DateTime64(3) DEFAULT now64(3),
    topic       LowCardinality(String),
    partition   UInt64,
    offset      UInt64,
    kafka_timestamp Nullable(DateTime64(3)),
    error       String CODEC(ZSTD(3)),
    raw_message String CODEC(ZSTD(3))
)
ENGINE = ${REPLICATED}MergeTree${REPLICA}
PARTITION BY toYYYYMM(received_at)
-- Serves "the latest errors of a topic" (the ingest health panel) and lookups by Kafka coordinates.
ORDER BY (topic, received_at, partition, offset)
TTL toDateTime(received_at) + INTERVAL ${CH_INGEST_ERRORS_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.ingest_errors ${ON_CLUSTER} AS analytics.ingest_errors_local
ENGINE = Distributed(${CLUSTER}, analytics, ingest_errors_local, rand());
