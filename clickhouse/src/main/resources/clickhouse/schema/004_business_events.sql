-- Stream business_events: views, cart changes, checkouts, orders, registrations (Avro record
-- io.chanalytics.events.BusinessEvent, topic ${CH_TOPIC_BUSINESS_EVENTS}). Same chain and duplicate handling
-- as request_metrics.
CREATE TABLE IF NOT EXISTS analytics.business_events${LOCAL} ${ON_CLUSTER}
(
    event_id         UUID,
    timestamp        DateTime64(3) CODEC(Delta, ZSTD(1)),
    event_type       LowCardinality(String),
    service_name     LowCardinality(String),
    user_id          Nullable(String) CODEC(ZSTD(1)),
    session_id       Nullable(String) CODEC(ZSTD(1)),
    region           LowCardinality(Nullable(String)),
    product_id       Nullable(String) CODEC(ZSTD(1)),
    product_category LowCardinality(Nullable(String)),
    quantity         Nullable(Int32),
    cart_items_count Nullable(UInt16),
    order_id         Nullable(String) CODEC(ZSTD(1)),
    amount           Nullable(Decimal(18, 2)),
    currency         LowCardinality(Nullable(String)),
    failure_reason   LowCardinality(Nullable(String)),
    _topic           LowCardinality(String),
    _partition       UInt64 CODEC(T64, ZSTD(1)),
    _offset          UInt64 CODEC(Delta, ZSTD(1)),
    _timestamp       Nullable(DateTime64(3)) CODEC(ZSTD(1))
)
ENGINE = ${REPLICATED}ReplacingMergeTree${REPLICA}
PARTITION BY toYYYYMM(timestamp)
-- Serves funnels and revenue over time, which filter by event type and a time range.
ORDER BY (event_type, timestamp, event_id)
TTL toDateTime(timestamp) + INTERVAL ${CH_RAW_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.business_events ${ON_CLUSTER} AS analytics.business_events_local
ENGINE = Distributed(${CLUSTER}, analytics, business_events_local, rand());

CREATE TABLE IF NOT EXISTS analytics.kafka_business_events ${ON_CLUSTER}
(
    event_id         UUID,
    timestamp        DateTime64(3),
    event_type       String,
    service_name     String,
    user_id          Nullable(String),
    session_id       Nullable(String),
    region           Nullable(String),
    product_id       Nullable(String),
    product_category Nullable(String),
    quantity         Nullable(Int32),
    cart_items_count Nullable(UInt16),
    order_id         Nullable(String),
    amount           Nullable(Decimal(18, 2)),
    currency         Nullable(String),
    failure_reason   Nullable(String)
)
ENGINE = Kafka
SETTINGS
    kafka_topic_list = '${CH_TOPIC_BUSINESS_EVENTS}',
    kafka_group_name = '${CH_GROUP_BUSINESS_EVENTS}',
    kafka_num_consumers = 1,
${INCLUDE kafka_settings};

CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.business_events_mv ${ON_CLUSTER} TO analytics.business_events${LOCAL} AS
-- Every column of the Kafka table, by name, and the message's Kafka coordinates: the stream's columns are written in
-- two places only, the table above (storage types) and the Kafka table (the Avro record's types).
SELECT *, _topic, _partition, _offset, _timestamp_ms AS _timestamp
FROM analytics.kafka_business_events
WHERE length(_error) = 0;

${INCLUDE ingest_errors_view STREAM=business_events};
