-- Rollup request_metrics_status_1m: per minute x service x endpoint x method x status code, for the panels that
-- show responses by code (not only by class) and errors by endpoint and code, without scanning raw rows. A new
-- table rather than a new key column of request_metrics_1m: applied files are never rewritten, and the stored
-- rollups stay readable. Read with countMerge(requests).
CREATE TABLE IF NOT EXISTS analytics.request_metrics_status_1m
(
    minute       DateTime,
    service_name LowCardinality(String),
    endpoint     LowCardinality(String),
    method       LowCardinality(String),
    status_code  UInt16,
    requests     AggregateFunction(count)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(minute)
-- Serves responses per minute for one service (or all) by code, and errors by endpoint and code over a range.
ORDER BY (service_name, minute, status_code, endpoint, method)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- Fed from the Kafka table like the other rollups (see 006_request_metrics_1m.sql for why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_status_1m_mv TO analytics.request_metrics_status_1m AS
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
