-- Stream system_metrics: periodic resource snapshots per service instance (Avro record
-- io.chanalytics.events.SystemMetricsEvent, topic ${CH_TOPIC_SYSTEM_METRICS}). A snapshot has no event id;

-- (service, instance, timestamp) identifies it, so that key also drops at-least-once copies.
CREATE TABLE IF NOT EXISTS analytics.system_metrics${LOCAL} ${ON_CLUSTER}
(
    timestamp               DateTime64(3) CODEC(Delta, ZSTD(1)),
    service_name            LowCardinality(String),
    instance_id             LowCardinality(String),
    process_cpu_usage       Float64 CODEC(Gorilla, ZSTD(1)),
    system_cpu_usage        Float64 CODEC(Gorilla, ZSTD(1)),
    heap_used_bytes         Int64 CODEC(T64, ZSTD(1)),
    heap_committed_bytes    Int64 CODEC(T64, ZSTD(1)),
    heap_max_bytes          Int64 CODEC(T64, ZSTD(1)),
    non_heap_used_bytes     Int64 CODEC(T64, ZSTD(1)),
    live_threads            Int32 CODEC(T64, ZSTD(1)),
    active_http_connections Int32 CODEC(T64, ZSTD(1)),
    in_flight_requests      Int32 CODEC(T64, ZSTD(1)),
    publisher_queue_depth   Int32 CODEC(T64, ZSTD(1)),
    publisher_dropped_total Int64 CODEC(T64, ZSTD(1)),
    _topic                  LowCardinality(String),
    _partition              UInt64 CODEC(T64, ZSTD(1)),
    _offset                 UInt64 CODEC(Delta, ZSTD(1)),
    _timestamp              Nullable(DateTime64(3)) CODEC(ZSTD(1))
)
ENGINE = ${REPLICATED}ReplacingMergeTree${REPLICA}
PARTITION BY toYYYYMM(timestamp)
-- Serves the per-instance resource panels: one service (or instance) over a time range.
ORDER BY (service_name, instance_id, timestamp)
TTL toDateTime(timestamp) + INTERVAL ${CH_RAW_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.system_metrics ${ON_CLUSTER} AS analytics.system_metrics_local
ENGINE = Distributed(${CLUSTER}, analytics, system_metrics_local, rand());

CREATE TABLE IF NOT EXISTS analytics.kafka_system_metrics ${ON_CLUSTER}
(
    timestamp               DateTime64(3),
    service_name            String,
    instance_id             String,
    process_cpu_usage       Float64,
    system_cpu_usage        Float64,
    heap_used_bytes         Int64,
    heap_committed_bytes    Int64,
    heap_max_bytes          Int64,
    non_heap_used_bytes     Int64,
    live_threads            Int32,
    active_http_connections Int32,
    in_flight_requests      Int32,
    publisher_queue_depth   Int32,
    publisher_dropped_total Int64
)
ENGINE = Kafka
SETTINGS
    kafka_topic_list = '${CH_TOPIC_SYSTEM_METRICS}',
    kafka_group_name = '${CH_GROUP_SYSTEM_METRICS}',
    kafka_num_consumers = 1,
${INCLUDE kafka_settings};

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.system_metrics_mv ${ON_CLUSTER} TO analytics.system_metrics${LOCAL} AS
-- Every column of the Kafka table, by name, and the message's Kafka coordinates: the stream's columns are written in
-- two places only, the table above (storage types) and the Kafka table (the Avro record's types).
SELECT *, _topic, _partition, _offset, _timestamp_ms AS _timestamp
FROM analytics.kafka_system_metrics
WHERE length(_error) = 0;

${INCLUDE ingest_errors_view STREAM=system_metrics};
