-- Rollup business_events_product_1m: per minute x product category x product, the commerce panels (views,
-- cart adds, orders, revenue). Events without a product (orders, registrations) count under ''. Revenue is the
-- exact Decimal sum of ORDER_PLACED amounts: sumMerge(revenue). Read the counters with sumMerge.
CREATE TABLE IF NOT EXISTS analytics.business_events_product_1m${LOCAL} ${ON_CLUSTER}
(
    minute           DateTime,
    product_category LowCardinality(String),
    product_id       String,
    views            AggregateFunction(sum, UInt64),
    cart_adds        AggregateFunction(sum, UInt64),
    checkouts        AggregateFunction(sum, UInt64),
    orders           AggregateFunction(sum, UInt64),
    failed_orders    AggregateFunction(sum, UInt64),
    revenue          AggregateFunction(sum, Decimal(18, 2))
)
ENGINE = ${REPLICATED}AggregatingMergeTree${REPLICA}
PARTITION BY toYYYYMM(minute)
-- Serves top products/categories and revenue over a time range.
ORDER BY (minute, product_category, product_id)
TTL minute + INTERVAL ${CH_ROLLUP_TTL_DAYS} DAY;

-- In the cluster, readers and writers of this name reach every shard (the views write to the local tables).
${CLUSTER_ONLY}
CREATE TABLE IF NOT EXISTS analytics.business_events_product_1m ${ON_CLUSTER} AS analytics.business_events_product_1m_local
ENGINE = Distributed(${CLUSTER}, analytics, business_events_product_1m_local, rand());

-- Fed from the Kafka table like request_metrics_1m_mv (see there why not from the raw table).
CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.business_events_product_1m_mv ${ON_CLUSTER} TO analytics.business_events_product_1m${LOCAL} AS
SELECT
    toStartOfMinute(timestamp) AS minute,
    ifNull(product_category, '') AS product_category,
    ifNull(product_id, '') AS product_id,
    sumState(toUInt64(event_type = 'PRODUCT_VIEWED')) AS views,
    sumState(toUInt64(event_type = 'CART_ITEM_ADDED')) AS cart_adds,
    sumState(toUInt64(event_type = 'CHECKOUT_STARTED')) AS checkouts,
    sumState(toUInt64(event_type = 'ORDER_PLACED')) AS orders,
    sumState(toUInt64(event_type = 'ORDER_FAILED')) AS failed_orders,
    sumState(if(event_type = 'ORDER_PLACED', ifNull(amount, toDecimal64(0, 2)), toDecimal64(0, 2))) AS revenue
FROM analytics.kafka_business_events
WHERE length(_error) = 0
GROUP BY minute, product_category, product_id;
