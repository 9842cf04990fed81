-- Rollup request_metrics_status_1m: per minute x service x endpoint x method x status code, for the panels that
-- show responses by code (not only by class) and errors by endpoint and code, without scanning raw rows. A new
-- table rather than a new key column of request_metrics_1m: applied files are never rewritten, and the stored
-- rollups stay readable. Read with countMerge(requests).
CREATE TABLE IF NOT EXISTS analytics.request_metrics_status_1m${LOCAL} ${ON_CLUSTER}
(
    minute       DateTime,
    service_name LowCardinality(String),
    endpoint     LowCardinality(String),
    method       LowCardinality(String),
    status_code  UInt16,
    requests     AggregateFunction(count)
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves responses per minute for one service (or all) by code, and errors by endpoint and code over a range.
ORDER BY (service_name, minute, status_code, endpoint, method)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_status_1m ${ON_CLUSTER} AS analytics.request_metrics_status_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_status_1m_local, rand());

-- Fed from the Kafka table like the other rollups (see 006_request_metrics_1m.sql for why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_status_1m_mv ${ON_CLUSTER} TO analytics.request_metrics_status_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    service_name,
    endpoint,
    method,
    status_code,
    countState() AS requests
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY minute, service_name, endpoint, method, status_code;
