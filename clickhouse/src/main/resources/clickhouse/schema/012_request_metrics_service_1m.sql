-- Rollup request_metrics_service_1m: per minute x service, for the service-level latency panels (p95, average and
-- p95 over time, latency percentiles). request_metrics_1m answers them too, but over a week it merges about 265,000
-- DDSketch states (one per endpoint, method and status class a minute) where this table merges about 20,000
-- (docs/benchmarks.md, dashboard queries). Read like request_metrics_1m: countMerge(requests),
-- sumMerge(response_time_sum), quantilesDDMerge(0.01, 0.5, 0.95, 0.99)(response_time_quantiles)[2] (p95; the first
-- parameter is the sketch's relative accuracy, then the levels 0.5, 0.95, 0.99).
CREATE TABLE IF NOT EXISTS analytics.request_metrics_service_1m${LOCAL} ${ON_CLUSTER}
(
    minute                  DateTime,
    service_name            LowCardinality(String),
    requests                AggregateFunction(count),
    response_time_sum       AggregateFunction(sum, Float64),
    response_time_quantiles AggregateFunction(quantilesDD(0.01, 0.5, 0.95, 0.99), Float64)
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves one service's (or all services') latency per minute over a time range.
ORDER BY (service_name, minute)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY
-- A state is about 1.2 KB before compression: with the default 8,192-row granules the last hour (120 rows for two
-- services) read and decoded 10 MB and took 39 ms, twice the raw rows' 19 ms (docs/benchmarks.md).
SETTINGS index_granularity = 256;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_service_1m ${ON_CLUSTER} AS analytics.request_metrics_service_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_service_1m_local, rand());

-- Fed from the Kafka table like request_metrics_1m_mv (see there why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_service_1m_mv ${ON_CLUSTER} TO analytics.request_metrics_service_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    service_name,
    countState() AS requests,
    sumState(response_time_ms) AS response_time_sum,
    quantilesDDState(0.01, 0.5, 0.95, 0.99)(response_time_ms) AS response_time_quantiles
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY minute, service_name;

-- Minutes consumed before this table existed (an installation upgraded to this file), merged per service from
-- request_metrics_1m's states. Only minutes before the table's first one, or before the current minute while it is
-- empty, so applying the file again adds nothing; the one minute in which the view started can be partial.
INSERT INTO analytics.request_metrics_service_1m
SELECT
    minute,
    service_name,
    countMergeState(requests) AS requests,
    sumMergeState(response_time_sum) AS response_time_sum,
    quantilesDDMergeState(0.01, 0.5, 0.95, 0.99)(response_time_quantiles) AS response_time_quantiles
FROM analytics.request_metrics_1m
WHERE minute < (SELECT if(count() = 0, toStartOfMinute(now()), min(minute)) FROM analytics.request_metrics_service_1m)
GROUP BY minute, service_name;
