-- Hourly rollups for the panels that merge sketches or distinct counts over days. Over a week at 10,000,000 events
-- the per-endpoint latency tables merge about 265,000 DDSketch states of request_metrics_1m and the distinct-user
-- panels 50,000 uniq states of request_metrics_region_1m, 186-648 ms a panel (docs/benchmarks.md, dashboard
-- queries); an hour holds 60 minutes' states in one. The panels read the whole hours of their range here and the
-- minutes at its edges from the minute rollups, so their answers stay those of the minute rollups, exactly
-- (grafana/README.md, "Long ranges"). Same columns, states and readers' functions as the minute rollups they shadow.
--
-- request_metrics_endpoint_1h: per hour x service x endpoint x method (request_metrics_1m without the status class,
-- which no long-range panel groups by). Read like request_metrics_1m: countMerge(requests), sumMerge(errors),
-- sumMerge(response_time_sum), maxMerge(response_time_max), quantilesDDMerge(0.01, 0.5, 0.95, 0.99)(...)[2] (p95).
CREATE TABLE IF NOT EXISTS analytics.request_metrics_endpoint_1h${LOCAL} ${ON_CLUSTER}
(
    hour                    DateTime,
    service_name            LowCardinality(String),
    endpoint                LowCardinality(String),
    method                  LowCardinality(String),
    requests                AggregateFunction(count),
    errors                  AggregateFunction(sum, UInt64),
    response_time_sum       AggregateFunction(sum, Float64),
    response_time_max       AggregateFunction(max, Float64),
    response_time_quantiles AggregateFunction(quantilesDD(0.01, 0.5, 0.95, 0.99), Float64)
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(hour)
-- Serves the per-endpoint latency tables and series of one service (or all) over the whole hours of a range.
ORDER BY (service_name, hour, endpoint, method)
TTL hour + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY
-- A sketch is about 1.2 KB in memory: small granules, so that a range of a few hours reads a few KB, not 10 MB
-- (the same reason as request_metrics_service_1m).
SETTINGS index_granularity = 256;

${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_endpoint_1h ${ON_CLUSTER} AS analytics.request_metrics_endpoint_1h_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_endpoint_1h_local, rand());

-- Fed from the Kafka table like every rollup (see 006_request_metrics_1m.sql for why not chained from another table):
-- a block read twice is then reconciled here as in the minute rollups (RollupReconciler works by the time column's
-- grain).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_endpoint_1h_mv ${ON_CLUSTER} TO analytics.request_metrics_endpoint_1h${LOCAL} AS
SELECT
    toStartOfHour(timestamp) AS hour,
    service_name,
    endpoint,
    method,
    countState() AS requests,
    sumState(toUInt64(status_code >= 500)) AS errors,
    sumState(response_time_ms) AS response_time_sum,
    maxState(response_time_ms) AS response_time_max,
    quantilesDDState(0.01, 0.5, 0.95, 0.99)(response_time_ms) AS response_time_quantiles
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY hour, service_name, endpoint, method;

-- request_metrics_region_1h: per hour x region, the audience panels. Read like request_metrics_region_1m:
-- countMerge(requests), uniqMerge(users), uniqMerge(sessions).
CREATE TABLE IF NOT EXISTS analytics.request_metrics_region_1h${LOCAL} ${ON_CLUSTER}
(
    hour     DateTime,
    region   LowCardinality(String),
    requests AggregateFunction(count),
    users    AggregateFunction(uniq, Nullable(String)),
    sessions AggregateFunction(uniq, Nullable(String))
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(hour)
-- Serves the distinct users and sessions of all regions over the whole hours of a range.
ORDER BY (hour, region)
TTL hour + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY
-- An hour's uniq state holds up to 4,096 values before it turns into a sketch (tens of KB): small granules, as above.
SETTINGS index_granularity = 256;

${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_region_1h ${ON_CLUSTER} AS analytics.request_metrics_region_1h_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_region_1h_local, rand());

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_region_1h_mv ${ON_CLUSTER} TO analytics.request_metrics_region_1h${LOCAL} AS
SELECT
    toStartOfHour(timestamp) AS hour,
    ifNull(region, '') AS region,
    countState() AS requests,
    uniqState(user_id) AS users,
    uniqState(session_id) AS sessions
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY hour, region;

-- Hours consumed before these tables existed (an installation upgraded to this file), merged from the minute
-- rollups' states. Only hours before the table's first one, or before the current hour while it is empty, so
-- applying the file again adds nothing; the hour in which the views started can lack the minutes before them (as in
-- 012), which a panel shows only when that hour lies inside its range, not at an edge.
INSERT INTO analytics.request_metrics_endpoint_1h
SELECT
    toStartOfHour(minute) AS hour,
    service_name,
    endpoint,
    method,
    countMergeState(requests) AS requests,
    sumMergeState(errors) AS errors,
    sumMergeState(response_time_sum) AS response_time_sum,
    maxMergeState(response_time_max) AS response_time_max,
    quantilesDDMergeState(0.01, 0.5, 0.95, 0.99)(response_time_quantiles) AS response_time_quantiles
FROM analytics.request_metrics_1m
WHERE minute < (SELECT if(count() = 0, toStartOfHour(now()), min(hour)) FROM analytics.request_metrics_endpoint_1h)
GROUP BY hour, service_name, endpoint, method;

INSERT INTO analytics.request_metrics_region_1h
SELECT
    toStartOfHour(minute) AS hour,
    region,
    countMergeState(requests) AS requests,
    uniqMergeState(users) AS users,
    uniqMergeState(sessions) AS sessions
FROM analytics.request_metrics_region_1m
WHERE minute < (SELECT if(count() = 0, toStartOfHour(now()), min(hour)) FROM analytics.request_metrics_region_1h)
GROUP BY hour, region;
