-- What the Kafka tables wrote, block by block: the ledger that tells a message read twice from one read once.
-- Delivery is at least once: a block written but not committed when an engine died, or when a rebalance moved its
-- partition, is read again, and every rollup counts it twice (raw tables fold the copies). Two rows of a topic and
-- partition whose offset ranges overlap are such a redelivery, and their minute ranges say which rollup minutes it
-- touched: what the reconciliation recomputes from the raw rows, and what the ingest health queries show
-- (docs/scaling.md). One row per block and partition, a few a second per consumer.
CREATE TABLE IF NOT EXISTS analytics.ingest_blocks${LOCAL} ${ON_CLUSTER}
(
    written_at   DateTime64(3),
    -- the stream whose Kafka table wrote the block: its raw table and rollups are named after it
    stream       LowCardinality(String),
    topic        LowCardinality(String),
    partition    UInt64,
    first_offset UInt64,
    last_offset  UInt64,
    -- the block's parsed messages in this partition (rejected ones go to ingest_errors)
    messages     UInt64,
    -- the event-time minutes the block's rows fall in: the rollup rows it wrote
    first_minute DateTime,
    last_minute  DateTime
)
ENGINE = ${REPLICATED}MergeTree${REPLICA}
PARTITION BY toYYYYMM(written_at)
-- Serves "which blocks overlap" per topic and partition, in offset order.
ORDER BY (topic, partition, first_offset, written_at)
-- As long as the raw rows: a redelivery older than them has nothing left to reconcile from.
TTL toDateTime(written_at) + INTERVAL ${CH_RAW_TTL_DAYS} DAY;

-- In the cluster, readers of this name reach every shard: a block read again after a rebalance is written by another
-- node, possibly on another shard, and the overlap shows only across them.
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.ingest_blocks ${ON_CLUSTER} AS analytics.ingest_blocks_local
ENGINE = Distributed(${CLUSTER}, analytics, ingest_blocks_local, rand());

-- What the reconciliation did (io.chanalytics.clickhouse.ingest.RollupReconciler): per stream and run, the
-- redeliveries it covered (up to redeliveries_until, where the next run starts), the minutes it recomputed from the
-- raw rows and what it cost. Written by the reconciler only.
CREATE TABLE IF NOT EXISTS analytics.rollup_reconciliations${LOCAL} ${ON_CLUSTER}
(
    reconciled_at       DateTime64(3),
    stream              LowCardinality(String),
    redeliveries_until  DateTime64(3),
    redeliveries        UInt32,
    messages_read_again UInt64,
    first_minute        DateTime,
    last_minute         DateTime,
    rollups             Array(String),
    rollup_rows_written UInt64,
    paused_ms           UInt32
)
ENGINE = ${REPLICATED}MergeTree${REPLICA}
PARTITION BY toYYYYMM(reconciled_at)
-- Serves "where did the last run stop" per stream.
ORDER BY (stream, reconciled_at);

${INCLUDE ingest_blocks_view STREAM=request_metrics};

${INCLUDE ingest_blocks_view STREAM=business_events};

${INCLUDE ingest_blocks_view STREAM=system_metrics};
