-- Rollup system_metrics_1m: per minute x service x instance, the resource panels. Read with avgMerge/maxMerge.
CREATE TABLE IF NOT EXISTS analytics.system_metrics_1m${LOCAL} ${ON_CLUSTER}
(
    minute                DateTime,
    service_name          LowCardinality(String),
    instance_id           LowCardinality(String),
    process_cpu_avg       AggregateFunction(avg, Float64),
    process_cpu_max       AggregateFunction(max, Float64),
    system_cpu_avg        AggregateFunction(avg, Float64),
    heap_used_avg         AggregateFunction(avg, Int64),
    heap_used_max         AggregateFunction(max, Int64),
    heap_committed_max    AggregateFunction(max, Int64),
    non_heap_used_max     AggregateFunction(max, Int64),
    live_threads_max      AggregateFunction(max, Int32),
    in_flight_max         AggregateFunction(max, Int32),
    publisher_queue_max   AggregateFunction(max, Int32),
    publisher_dropped_max AggregateFunction(max, Int64)
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves CPU and memory per instance of one service (or all) over a time range.
ORDER BY (service_name, instance_id, minute)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.system_metrics_1m ${ON_CLUSTER} AS analytics.system_metrics_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, system_metrics_1m_local, rand());

-- Fed from the Kafka table like request_metrics_1m_mv (see there why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.system_metrics_1m_mv ${ON_CLUSTER} TO analytics.system_metrics_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    service_name,
    instance_id,
    avgState(process_cpu_usage) AS process_cpu_avg,
    maxState(process_cpu_usage) AS process_cpu_max,
    avgState(system_cpu_usage) AS system_cpu_avg,
    avgState(heap_used_bytes) AS heap_used_avg,
    maxState(heap_used_bytes) AS heap_used_max,
    maxState(heap_committed_bytes) AS heap_committed_max,
    maxState(non_heap_used_bytes) AS non_heap_used_max,
    maxState(live_threads) AS live_threads_max,
    maxState(in_flight_requests) AS in_flight_max,
    maxState(publisher_queue_depth) AS publisher_queue_max,
    maxState(publisher_dropped_total) AS publisher_dropped_max
FROM analytics.kafka_system_metrics
WHERE length(_error) = 0
GROUP BY minute, service_name, instance_id;
