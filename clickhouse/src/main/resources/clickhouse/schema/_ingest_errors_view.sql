-- A stream's messages that did not parse, kept with the error and the raw bytes in ingest_errors, written once:
-- ${INCLUDE ingest_errors_view STREAM=<stream>} in the file of the stream's Kafka table.
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.${STREAM}_errors_mv ${ON_CLUSTER} TO analytics.ingest_errors${LOCAL} AS
SELECT
    now64(3) AS received_at, _topic AS topic, _partition AS partition, _offset AS offset,
    _timestamp_ms AS kafka_timestamp, _error AS error, _raw_message AS raw_message
FROM analytics.kafka_${STREAM}
WHERE length(_error) > 0
