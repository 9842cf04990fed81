-- A stream's replayed messages (scripts/replay-ingest-errors.sh), each recorded with its outcome, written once:
-- ${INCLUDE ingest_replays_view STREAM=<stream>} in a schema file. The replay tool sends a message from
-- ingest_errors back to its topic with the header chanalytics-replay-of = "<partition>:<offset>" of the message it
-- copies, and chanalytics-replay-run = its run's id; every other message has neither header and passes no row.
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.${STREAM}_replays_mv ${ON_CLUSTER} TO analytics.ingest_replays${LOCAL} AS
SELECT
    now64(3) AS recorded_at,
    _headers.value[indexOf(_headers.name, 'chanalytics-replay-run')] AS run_id,
    _topic AS topic,
    toUInt64(splitByChar(':', _headers.value[indexOf(_headers.name, 'chanalytics-replay-of')])[1]) AS partition,
    toUInt64(splitByChar(':', _headers.value[indexOf(_headers.name, 'chanalytics-replay-of')])[2]) AS offset,
    _partition AS replay_partition,
    _offset AS replay_offset,
    length(_error) = 0 AS parsed,
    _error AS error
FROM analytics.kafka_${STREAM}
WHERE has(_headers.name, 'chanalytics-replay-of')
