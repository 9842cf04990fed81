package io.chanalytics.clickhouse.ingest;

import io.chanalytics.clickhouse.SqlSession;
import java.util.ArrayList;
import java.util.List;

/**
 * The rollups held against the raw rows without copies ({@code FINAL}), minute by minute (the hourly rollups hour by
 * hour): what the reconciliation promises, and what a test or an operator checks after an incident. Each line it
 * returns is a minute (or hour) where a rollup differs, with both sides' figures. Counts and the revenue (Decimal)
 * must match exactly; latency sums to Float32's precision, because the raw table keeps latencies as Float32 (schema
 * 011) while the incremental rollups summed the events' Float64 values. Reads every minute of the tables: for tests
 * and incidents, not for a dashboard.
 */
public final class RollupAudit {

    private static final String REQUESTS = """
            SELECT format('{} raw {} requests, {} ms; rollups 1m {} {} ms, region {}, service {} {} ms, status {}',
                          toString(minute), raw.requests, raw.time_sum, r1.requests, r1.time_sum, r2.requests,
                          r3.requests, r3.time_sum, r4.requests)
            FROM (
                SELECT toStartOfMinute(timestamp) AS minute, count() AS requests,
                       sum(toFloat64(response_time_ms)) AS time_sum
                FROM analytics.request_metrics FINAL GROUP BY minute) AS raw
            FULL JOIN (SELECT minute, countMerge(requests) AS requests, sumMerge(response_time_sum) AS time_sum
                       FROM analytics.request_metrics_1m GROUP BY minute) AS r1 USING (minute)
            FULL JOIN (SELECT minute, countMerge(requests) AS requests
                       FROM analytics.request_metrics_region_1m GROUP BY minute) AS r2 USING (minute)
            FULL JOIN (SELECT minute, countMerge(requests) AS requests, sumMerge(response_time_sum) AS time_sum
                       FROM analytics.request_metrics_service_1m GROUP BY minute) AS r3 USING (minute)
            FULL JOIN (SELECT minute, countMerge(requests) AS requests
                       FROM analytics.request_metrics_status_1m GROUP BY minute) AS r4 USING (minute)
            WHERE NOT (raw.requests = r1.requests AND raw.requests = r2.requests AND raw.requests = r3.requests
                       AND raw.requests = r4.requests
                       AND abs(raw.time_sum - r1.time_sum) <= 1e-6 * raw.time_sum
                       AND abs(raw.time_sum - r3.time_sum) <= 1e-6 * raw.time_sum)
            ORDER BY minute
            """;

    private static final String HOURLY_REQUESTS = """
            SELECT format('{} raw {} requests, {} ms; rollups endpoint 1h {} {} ms, region 1h {}',
                          toString(hour), raw.requests, raw.time_sum, r1.requests, r1.time_sum, r2.requests)
            FROM (
                SELECT toStartOfHour(timestamp) AS hour, count() AS requests,
                       sum(toFloat64(response_time_ms)) AS time_sum
                FROM analytics.request_metrics FINAL GROUP BY hour) AS raw
            FULL JOIN (SELECT hour, countMerge(requests) AS requests, sumMerge(response_time_sum) AS time_sum
                       FROM analytics.request_metrics_endpoint_1h GROUP BY hour) AS r1 USING (hour)
            FULL JOIN (SELECT hour, countMerge(requests) AS requests
                       FROM analytics.request_metrics_region_1h GROUP BY hour) AS r2 USING (hour)
            WHERE NOT (raw.requests = r1.requests AND raw.requests = r2.requests
                       AND abs(raw.time_sum - r1.time_sum) <= 1e-6 * raw.time_sum)
            ORDER BY hour
            """;

    private static final String ORDERS = """
            SELECT format('{} raw {} events, {} orders, revenue {}; rollup {} events, {} orders, revenue {}',
                          toString(minute), raw.events, raw.orders, raw.revenue, r.all_events, r.placed,
                          r.placed_revenue)
            FROM (
                SELECT toStartOfMinute(timestamp) AS minute, count() AS events,
                       countIf(event_type = 'ORDER_PLACED') AS orders,
                       sumIf(ifNull(amount, toDecimal64(0, 2)), event_type = 'ORDER_PLACED') AS revenue
                FROM analytics.business_events FINAL
                WHERE event_type IN ('PRODUCT_VIEWED', 'CART_ITEM_ADDED', 'CHECKOUT_STARTED', 'ORDER_PLACED',
                                     'ORDER_FAILED')
                GROUP BY minute) AS raw
            FULL JOIN (
                SELECT minute,
                       sumMerge(views) + sumMerge(cart_adds) + sumMerge(checkouts) + sumMerge(orders)
                           + sumMerge(failed_orders) AS all_events,
                       sumMerge(orders) AS placed, sumMerge(revenue) AS placed_revenue
                FROM analytics.business_events_product_1m GROUP BY minute) AS r USING (minute)
            WHERE NOT (raw.events = r.all_events AND raw.orders = r.placed AND raw.revenue = r.placed_revenue)
            ORDER BY minute
            """;

    private final SqlSession clickHouse;

    public RollupAudit(SqlSession clickHouse) {
        this.clickHouse = clickHouse;
    }

    /**
     * The minutes (hours for the hourly rollups) where a request or business rollup differs from the raw rows,
     * described; empty when exact.
     */
    public List<String> mismatches() {
        List<String> minutes =
                new ArrayList<>(clickHouse.query(REQUESTS).lines().toList());
        minutes.addAll(clickHouse.query(HOURLY_REQUESTS).lines().toList());
        minutes.addAll(clickHouse.query(ORDERS).lines().toList());
        return minutes;
    }
}
