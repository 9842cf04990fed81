-- Rollup request_metrics_region_1m: per minute x region, the audience panels (unique users and sessions,
-- requests). Requests without a region count under ''. Read with countMerge(requests), uniqMerge(users),
-- uniqMerge(sessions); uniq is exact below about 65 000 distinct values and approximate above.
CREATE TABLE IF NOT EXISTS analytics.request_metrics_region_1m${LOCAL} ${ON_CLUSTER}
(
    minute   DateTime,
    region   LowCardinality(String),
    requests AggregateFunction(count),
    users    AggregateFunction(uniq, Nullable(String)),
    sessions AggregateFunction(uniq, Nullable(String))
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves users/sessions per region over a time range (all regions are usually shown together).
ORDER BY (minute, region)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics_region_1m ${ON_CLUSTER} AS analytics.request_metrics_region_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_region_1m_local, rand());

-- Fed from the Kafka table like request_metrics_1m_mv (see there why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_region_1m_mv ${ON_CLUSTER} TO analytics.request_metrics_region_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    ifNull(region, '') AS region,
    countState() AS requests,
    uniqState(user_id) AS users,
    uniqState(session_id) AS sessions
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0
GROUP BY minute, region;
