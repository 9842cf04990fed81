-- Stream request_metrics: one row per HTTP request served (Avro record io.chanalytics.events.RequestEvent,
-- topic ${CH_TOPIC_REQUEST_EVENTS}). Chain: target table, Kafka engine table, materialized view.

-- ReplacingMergeTree keyed down to event_id: at-least-once delivery can write a message twice after a crash
-- (between the insert and the offset commit); background merges drop such copies and FINAL or
-- uniqExact(event_id) gives exact answers before they run.
CREATE TABLE IF NOT EXISTS analytics.request_metrics${LOCAL} ${ON_CLUSTER}
(
    event_id            UUID,
    timestamp           DateTime64(3) CODEC(Delta, ZSTD(1)),
    service_name        LowCardinality(String),
    instance_id         LowCardinality(String),
    endpoint            LowCardinality(String),
    method              LowCardinality(String),
    status_code         UInt16 CODEC(T64, ZSTD(1)),
    response_time_ms    Float64 CODEC(ZSTD(1)),
    request_size_bytes  UInt64 CODEC(T64, ZSTD(1)),
    response_size_bytes UInt64 CODEC(T64, ZSTD(1)),
    user_id             Nullable(String) CODEC(ZSTD(1)),
    session_id          Nullable(String) CODEC(ZSTD(1)),
    client_ip           Nullable(String) CODEC(ZSTD(1)),
    region              LowCardinality(Nullable(String)),
    user_agent          LowCardinality(Nullable(String)),
    product_id          Nullable(String) CODEC(ZSTD(1)),
    product_category    LowCardinality(Nullable(String)),
    transaction_amount  Nullable(Float64),
    cart_items_count    Nullable(UInt16),
    _topic              LowCardinality(String),
    _partition          UInt64 CODEC(T64, ZSTD(1)),
    _offset             UInt64 CODEC(Delta, ZSTD(1)),
    _timestamp          Nullable(DateTime64(3)) CODEC(ZSTD(1))
)
ENGINE = ${REPLICATED}ReplacingMergeTree${REPLICA}
PARTITION BY toYYYYMM(timestamp)
-- Serves the dashboards' drill-downs, which always filter by service and usually by endpoint and a time range
-- (slowest requests of an endpoint, status codes of a service over time); event_id last makes the key unique.
ORDER BY (service_name, endpoint, timestamp, event_id)
TTL toDateTime(timestamp) + INTERVAL ${CH_RAW_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.request_metrics ${ON_CLUSTER} AS analytics.request_metrics_local
ENGINE = Distributed(${CLUSTER}, analytics, request_metrics_local, rand());

CREATE TABLE IF NOT EXISTS analytics.kafka_request_metrics ${ON_CLUSTER}
(
    event_id            UUID,
    timestamp           DateTime64(3),
    service_name        String,
    instance_id         String,
    endpoint            String,
    method              String,
    status_code         UInt16,
    response_time_ms    Float64,
    request_size_bytes  UInt64,
    response_size_bytes UInt64,
    user_id             Nullable(String),
    session_id          Nullable(String),
    client_ip           Nullable(String),
    region              Nullable(String),
    user_agent          Nullable(String),
    product_id          Nullable(String),
    product_category    Nullable(String),
    transaction_amount  Nullable(Float64),
    cart_items_count    Nullable(UInt16)
)
ENGINE = Kafka
SETTINGS
    kafka_topic_list = '${CH_TOPIC_REQUEST_EVENTS}',
    kafka_group_name = '${CH_GROUP_REQUEST_METRICS}',
    kafka_num_consumers = 1,
${INCLUDE kafka_settings};

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.request_metrics_mv ${ON_CLUSTER} TO analytics.request_metrics${LOCAL} AS
-- Every column of the Kafka table, by name, and the message's Kafka coordinates: the stream's columns are written in
-- two places only, the table above (storage types) and the Kafka table (the Avro record's types).
SELECT *, _topic, _partition, _offset, _timestamp_ms AS _timestamp
FROM analytics.kafka_request_metrics
WHERE length(_error) = 0;

${INCLUDE ingest_errors_view STREAM=request_metrics};
