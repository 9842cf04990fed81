-- The request stream read by several consumers, each on a thread of its own (docs/benchmarks.md, ingestion). The
-- Kafka engine decodes one message at a time on one thread, about 25 µs each for a request event, so one consumer
-- tops out near 30,000 rows/s whatever the views do; three consumers on a 3-partition topic read 1.4x faster on two
-- cores shared with the broker (a server with idle cores can give each consumer one). With kafka_thread_per_consumer
-- each consumer writes its own blocks (more, smaller parts, which merges absorb).
--
-- A Kafka table's settings cannot be altered (MODIFY SETTING is not supported for storage Kafka), so the table is
-- replaced: same name, columns, topic and consumer group, so the committed offsets carry over and no event is read
-- twice or skipped, and the materialized views, which name their source, read the new table. The runner applies this
-- file once (SchemaMigrations' ledger); each statement also holds if a start stopped halfway through it and runs it
-- again. CH_KAFKA_NUM_CONSUMERS must not exceed the topic's partitions.
CREATE TABLE IF NOT EXISTS analytics.kafka_request_metrics_columns ${ON_CLUSTER} AS analytics.kafka_request_metrics ENGINE = Null;

DROP TABLE IF EXISTS analytics.kafka_request_metrics ${ON_CLUSTER} SYNC;

CREATE TABLE IF NOT EXISTS analytics.kafka_request_metrics ${ON_CLUSTER} AS analytics.kafka_request_metrics_columns
ENGINE = Kafka
SETTINGS
    kafka_topic_list = '${CH_TOPIC_REQUEST_EVENTS}',
    kafka_group_name = '${CH_GROUP_REQUEST_METRICS}',
    kafka_num_consumers = ${CH_KAFKA_NUM_CONSUMERS},
    kafka_thread_per_consumer = 1,
${INCLUDE kafka_settings};

DROP TABLE IF EXISTS analytics.kafka_request_metrics_columns ${ON_CLUSTER} SYNC;
