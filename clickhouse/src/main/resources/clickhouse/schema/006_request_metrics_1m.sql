-- Rollup request_metrics_1m: per minute x service x endpoint x method x status class, so the traffic, error
-- and latency panels never scan raw rows. Read with the -Merge functions, for example
--   countMerge(requests), sumMerge(errors), sumMerge(response_time_sum) / countMerge(requests),
--   quantilesDDMerge(0.01, 0.5, 0.95, 0.99)(response_time_quantiles)[2] (p95, relative error at most 1 %).
-- errors counts server errors (status >= 500); client errors show up as status_class 4.
CREATE TABLE IF NOT EXISTS analytics.request_metrics_1m${LOCAL} ${ON_CLUSTER}
(
    minute                  DateTime,
    service_name            LowCardinality(String),
    endpoint                LowCardinality(String),
    method                  LowCardinality(String),
    status_class            UInt8,
    requests                AggregateFunction(count),
    errors                  AggregateFunction(sum, UInt64),
    response_time_sum       AggregateFunction(sum, Float64),
    response_time_max       AggregateFunction(max, Float64),
    response_time_quantiles AggregateFunction(quantilesDD(0.01, 0.5, 0.95, 0.99), Float64),
    request_bytes           AggregateFunction(sum, UInt64),
    response_bytes          AggregateFunction(sum, UInt64)
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves requests/errors/latency per minute for one service (or all) over a time range, grouped by endpoint,
-- method or status class.
ORDER BY (service_name, minute, endpoint, method, status_class)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_1m ${ON_CLUSTER} AS analytics.request_metrics_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_1m_local, rand());

-- The view reads the Kafka table, next to request_metrics_mv, rather than the raw table: a chained view
-- (Kafka -> raw -> rollup) can miss blocks after a restart, because the Kafka engine starts consuming as soon as its
-- own views are attached, possibly before views on the raw table are loaded (seen on chDB 26.7: a reopened engine
-- wrote 580 raw rows and none into the rollup). Both views see the same blocks, so rollups and raw rows agree.
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_1m_mv ${ON_CLUSTER} TO analytics.request_metrics_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    service_name,
    endpoint,
    method,
    toUInt8(intDiv(status_code, 100)) AS status_class,
    countState() AS requests,
    sumState(toUInt64(status_code >= 500)) AS errors,
    sumState(response_time_ms) AS response_time_sum,
    maxState(response_time_ms) AS response_time_max,
    quantilesDDState(0.01, 0.5, 0.95, 0.99)(response_time_ms) AS response_time_quantiles,
    sumState(request_size_bytes) AS request_bytes,
    sumState(response_size_bytes) AS response_bytes
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY minute, service_name, endpoint, method, status_class;
