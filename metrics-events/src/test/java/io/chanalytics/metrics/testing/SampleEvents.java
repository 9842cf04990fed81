package io.chanalytics.metrics.testing;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** Deterministic, fully populated events for tests: event {@code i} differs from event {@code i+1} in every field. */
public final class SampleEvents {

    private static final String[] REGIONS = {"eu-west", "us-east", "ap-south"};
    private static final String[] CATEGORIES = {"books", "electronics", "garden"};
    private static final BusinessEventType[] TYPES = {
        BusinessEventType.PRODUCT_VIEWED,
        BusinessEventType.CART_ITEM_ADDED,
        BusinessEventType.ORDER_PLACED,
        BusinessEventType.ORDER_FAILED
    };

    private SampleEvents() {}

    public static RequestEvent request(int i, Instant timestamp) {
        return RequestEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("request-" + i).getBytes()))
                .setTimestamp(timestamp)
                .setServiceName(i % 2 == 0 ? "crud-api" : "ecommerce-api")
                .setInstanceId("host-" + (i % 3))
                .setEndpoint(i % 4 == 0 ? "/products/{id}" : "/cart")
                .setMethod(i % 5 == 0 ? "POST" : "GET")
                .setStatusCode(i % 10 == 0 ? 500 : i % 7 == 0 ? 404 : 200)
                .setResponseTimeMs(1.25 + i)
                .setRequestSizeBytes(i * 10L)
                .setResponseSizeBytes(100L + i)
                .setUserId(i % 6 == 0 ? null : "user-" + (i % 20))
                .setSessionId("session-" + (i % 30))
                .setClientIp("10.0.0." + (i % 250))
                .setRegion(REGIONS[i % REGIONS.length])
                .setUserAgent("test-agent/" + i)
                .setProductId(i % 4 == 0 ? "product-" + i : null)
                .setProductCategory(i % 4 == 0 ? CATEGORIES[i % CATEGORIES.length] : null)
                .setTransactionAmount(i % 5 == 0 ? 10.5 * i : null)
                .setCartItemsCount(i % 5 == 0 ? i % 9 : null)
                .build();
    }

    public static BusinessEvent business(int i, Instant timestamp) {
        BusinessEventType type = TYPES[i % TYPES.length];
        boolean order = type == BusinessEventType.ORDER_PLACED || type == BusinessEventType.ORDER_FAILED;
        return BusinessEvent.newBuilder()
                .setEventId(UUID.nameUUIDFromBytes(("business-" + i).getBytes()))
                .setTimestamp(timestamp)
                .setEventType(type)
                .setServiceName("ecommerce-api")
                .setUserId("user-" + (i % 20))
                .setSessionId("session-" + (i % 30))
                .setRegion(REGIONS[i % REGIONS.length])
                .setProductId("product-" + (i % 12))
                .setProductCategory(CATEGORIES[i % CATEGORIES.length])
                .setQuantity(1 + i % 4)
                .setCartItemsCount(i % 6)
                .setOrderId(order ? "order-" + i : null)
                .setAmount(order ? new BigDecimal(i * 7 + 3).movePointLeft(2).add(BigDecimal.TEN) : null)
                .setCurrency(order ? "EUR" : null)
                .setFailureReason(type == BusinessEventType.ORDER_FAILED ? "OUT_OF_STOCK" : null)
                .build();
    }

    public static SystemMetricsEvent system(int i, Instant timestamp) {
        return SystemMetricsEvent.newBuilder()
                .setTimestamp(timestamp)
                .setServiceName(i % 2 == 0 ? "crud-api" : "ecommerce-api")
                .setInstanceId("host-" + (i % 3))
                .setProcessCpuUsage((i % 100) / 100.0)
                .setSystemCpuUsage((i % 50) / 50.0)
                .setHeapUsedBytes(1_000_000L * (i + 1))
                .setHeapCommittedBytes(2_000_000L * (i + 1))
                .setHeapMaxBytes(512_000_000L)
                .setNonHeapUsedBytes(50_000_000L + i)
                .setLiveThreads(20 + i % 10)
                .setActiveHttpConnections(i % 8)
                .setInFlightRequests(i % 4)
                .setPublisherQueueDepth(i % 16)
                .setPublisherDroppedTotal(i)
                .build();
    }
}
