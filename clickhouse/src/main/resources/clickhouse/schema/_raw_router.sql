-- A raw stream's rows routed to one shard by a hash of ${KEY} (schema file 018, which says why and how):
-- ${INCLUDE raw_router STREAM=<stream> KEY=<column>} in a schema file. Cluster only.

${CLUSTER_ONLY}
DETACH TABLE IF EXISTS analytics.kafka_${STREAM} ${ON_CLUSTER} SYNC;

${CLUSTER_ONLY}
RENAME TABLE IF EXISTS analytics.${STREAM}_local TO analytics.${STREAM}_shard ${ON_CLUSTER};

${CLUSTER_ONLY}
CREATE OR REPLACE TABLE analytics.${STREAM} ${ON_CLUSTER} AS analytics.${STREAM}_shard
ENGINE = Distributed(${CLUSTER}, analytics, ${STREAM}_shard, rand());

${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.${STREAM}_local ${ON_CLUSTER} AS analytics.${STREAM}_shard
ENGINE = Distributed(${CLUSTER}, analytics, ${STREAM}_shard, cityHash64(${KEY}));

${CLUSTER_ONLY}
ATTACH TABLE IF NOT EXISTS analytics.kafka_${STREAM} ${ON_CLUSTER}
