-- A stream's blocks as the Kafka table writes them, one row per block and partition, written once:
-- ${INCLUDE ingest_blocks_view STREAM=<stream>} in a schema file. A message read twice (a crash or a rebalance
-- between a block's write and its offset commit) shows as two rows whose offset ranges overlap.
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.${STREAM}_blocks_mv ${ON_CLUSTER} TO analytics.ingest_blocks${LOCAL} AS
SELECT
    now64(3) AS written_at,
    '${STREAM}' AS stream,
    _topic AS topic,
    _partition AS partition,
    min(_offset) AS first_offset,
    max(_offset) AS last_offset,
    count() AS messages,
    toStartOfMinute(min(timestamp)) AS first_minute,
    toStartOfMinute(max(timestamp)) AS last_minute
FROM analytics.kafka_${STREAM}
WHERE length(_error) = 0
GROUP BY _topic, _partition
