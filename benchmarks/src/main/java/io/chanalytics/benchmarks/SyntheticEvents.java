package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.engine.ChDb;
import java.time.Duration;
import java.time.Instant;

/** The benchmarks' synthetic data set, written straight into the raw tables (no Kafka). */
final class SyntheticEvents {

    private SyntheticEvents() {}

    /**
     * A week of two services: endpoints, statuses, latencies, users, sessions and carts as the simulator makes them.
     * 2,000 users (one in ten anonymous), each with one address, region and browser, and a session per half hour.
     */
    static void load(ChDb engine, long requests, Instant start, Instant end) {
        requests(engine, "analytics.request_metrics", requests, start, end);
        business(engine, requests, start, end);
    }

    /** The request events alone, into {@code table} (the raw table's columns, in its order). */
    static void requests(ChDb engine, String table, long requests, Instant start, Instant end) {
        long startMs = start.toEpochMilli();
        long spanMs = end.toEpochMilli() - startMs;
        String timestamp = "fromUnixTimestamp64Milli(toInt64(" + startMs + " + intDiv(number * " + spanMs + ", "
                + requests + ")))";
        engine.execute("""
                INSERT INTO %s
                SELECT toUUID(concat(substring(hi, 1, 8), '-', substring(hi, 9, 4), '-', substring(hi, 13, 4), '-',
                                     substring(lo, 1, 4), '-', substring(lo, 5, 12))) AS event_id,
                       ts AS timestamp, service AS service_name,
                       concat(service, '-', toString(instance)) AS instance_id,
                       [['/products', '/products/{id}', '/users', '/users/{id}', '/products'],
                        ['/cart', '/cart/items', '/checkout', '/orders', '/orders/{id}']][s + 1][e + 1] AS endpoint,
                       [['GET', 'GET', 'GET', 'GET', 'POST'], ['GET', 'POST', 'POST', 'GET', 'GET']][s + 1][e + 1]
                           AS method,
                       toUInt16(multiIf(r < 0.93, 200, r < 0.97, 404, r < 0.99, 400, 503)) AS status_code,
                       round(randLogNormal(3, 0.6), 6) AS response_time_ms,
                       toUInt64(if(method = 'POST', 200 + rand(2) %% 400, 0)) AS request_size_bytes,
                       toUInt64(300 + rand(3) %% 8000) AS response_size_bytes,
                       if(u < 200, NULL, concat('user-', toString(u))) AS user_id,
                       lower(hex(cityHash64(u, intDiv(toUnixTimestamp(ts), 1800)))) AS session_id,
                       IPv4NumToString(toUInt32(167772160 + u * 7)) AS client_ip,
                       ['eu-west', 'us-east', 'us-west', 'ap-south', 'sa-east'][u %% 5 + 1] AS region,
                       ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0', 'Mozilla/5.0 (Macintosh) Safari/605.1',
                        'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', 'Mozilla/5.0 (iPhone) Mobile/15E148',
                        'Mozilla/5.0 (Linux; Android 14) Chrome/131.0', 'curl/8.5.0', 'Gatling/3.15',
                        'okhttp/4.12.0'][u %% 8 + 1] AS user_agent,
                       if(endpoint LIKE '%%{id}' OR s = 1, concat('product-', toString(rand(10) %% 500)), NULL)
                           AS product_id,
                       if(product_id IS NULL, NULL,
                          ['books', 'toys', 'electronics', 'garden', 'food', 'sports', 'home', 'beauty']
                              [rand(11) %% 8 + 1]) AS product_category,
                       if(endpoint = '/checkout', round(randUniform(5, 500), 2), NULL) AS transaction_amount,
                       if(s = 1 AND e < 3, toUInt16(1 + rand(12) %% 6), NULL) AS cart_items_count,
                       'request-events' AS _topic, number %% 3 AS _partition, intDiv(number, 3) AS _offset,
                       ts AS _timestamp
                FROM (SELECT number, %s AS ts, number %% 2 AS s, rand(13) %% 5 AS e,
                             ['crud-api', 'ecommerce-api'][s + 1] AS service, rand(14) / 4294967295 AS r,
                             rand(15) %% 2000 AS u,
                             -- two instances a service, taking turns; each restarts every day
                             intDiv(number, 2) %% 2 AS instance,
                             -- the services' ids (EventIds, UUIDv8): 64 bits drawn when the process starts (version
                             -- 8), then the variant and the process's own count of events
                             leftPad(lower(hex(bitOr(bitAnd(cityHash64(service, instance, toDate(ts)),
                                                            toUInt64(18446744073709490175)), toUInt64(32768)))), 16, '0')
                                 AS hi,
                             leftPad(lower(hex(bitOr(toUInt64(9223372036854775808), intDiv(number, 4) + 1))), 16, '0')
                                 AS lo
                      FROM numbers(%d))
                """.formatted(table, timestamp, requests));
    }

    /** Business events (a tenth of the requests) and each instance's system metrics over the same span. */
    private static void business(ChDb engine, long requests, Instant start, Instant end) {
        long startMs = start.toEpochMilli();
        long spanMs = end.toEpochMilli() - startMs;
        long business = requests / 10;
        String businessTimestamp = "fromUnixTimestamp64Milli(toInt64(" + startMs + " + intDiv(number * " + spanMs + ", "
                + business + ")))";
        engine.execute("""
                INSERT INTO analytics.business_events
                SELECT generateUUIDv4(number) AS event_id, ts AS timestamp, type AS event_type,
                       if(type IN ('USER_REGISTERED', 'PRODUCT_VIEWED'), 'crud-api', 'ecommerce-api') AS service_name,
                       concat('user-', toString(rand(1) %% 10000)) AS user_id,
                       lower(hex(cityHash64(rand(2) %% 50000))) AS session_id,
                       ['eu-west', 'us-east', 'us-west', 'ap-south', 'sa-east'][rand(3) %% 5 + 1] AS region,
                       concat('product-', toString(rand(4) %% 500)) AS product_id,
                       ['books', 'toys', 'electronics', 'garden', 'food', 'sports', 'home', 'beauty'][rand(5) %% 8 + 1]
                           AS product_category,
                       if(type = 'CART_ITEM_ADDED', toInt32(1 + rand(6) %% 3), NULL) AS quantity,
                       if(type IN ('CHECKOUT_STARTED', 'ORDER_PLACED'), toUInt16(1 + rand(7) %% 6), NULL)
                           AS cart_items_count,
                       if(type = 'ORDER_PLACED', toString(generateUUIDv4(number + 1)), NULL) AS order_id,
                       if(type = 'ORDER_PLACED', toDecimal64(randUniform(5, 500), 2), NULL) AS amount,
                       if(type = 'ORDER_PLACED', 'USD', NULL) AS currency,
                       if(type = 'ORDER_FAILED', ['OUT_OF_STOCK', 'PAYMENT_DECLINED'][rand(8) %% 2 + 1], NULL)
                           AS failure_reason,
                       'business-events' AS _topic, number %% 3 AS _partition, intDiv(number, 3) AS _offset,
                       ts AS _timestamp
                FROM (SELECT number, %s AS ts,
                             ['PRODUCT_VIEWED', 'PRODUCT_VIEWED', 'PRODUCT_VIEWED', 'CART_ITEM_ADDED',
                              'CART_ITEM_ADDED', 'CHECKOUT_STARTED', 'ORDER_PLACED', 'ORDER_FAILED',
                              'USER_REGISTERED', 'PRODUCT_VIEWED'][rand(9) %% 10 + 1] AS type
                      FROM numbers(%d))
                """.formatted(businessTimestamp, business));
        // Each of four instances reports every 10 s.
        long snapshots = Duration.between(start, end).toSeconds() / 10 * 4;
        engine.execute("""
                INSERT INTO analytics.system_metrics
                SELECT fromUnixTimestamp64Milli(toInt64(%d + intDiv(number, 4) * 10000)) AS timestamp,
                       ['crud-api', 'ecommerce-api'][number %% 2 + 1] AS service_name,
                       concat(service_name, '-', toString(intDiv(number %% 4, 2))) AS instance_id,
                       randUniform(0, 0.6) AS process_cpu_usage, randUniform(0, 0.9) AS system_cpu_usage,
                       toInt64(100000000 + rand(1) %% 200000000) AS heap_used_bytes,
                       toInt64(400000000) AS heap_committed_bytes, toInt64(1000000000) AS heap_max_bytes,
                       toInt64(80000000 + rand(2) %% 1000000) AS non_heap_used_bytes,
                       toInt32(30 + rand(3) %% 10) AS live_threads, toInt32(rand(4) %% 20) AS active_http_connections,
                       toInt32(rand(5) %% 10) AS in_flight_requests, toInt32(rand(6) %% 50) AS publisher_queue_depth,
                       toInt64(0) AS publisher_dropped_total,
                       'system-metrics' AS _topic, number %% 3 AS _partition, intDiv(number, 3) AS _offset,
                       timestamp AS _timestamp
                FROM numbers(%d)
                """.formatted(startMs, snapshots));
    }
}
