package io.chanalytics.clickhouse;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic, realistic event streams for the ingestion tests: two services with their endpoints, a mix of
 * statuses (about 8 % server errors), log-normal latencies, optional fields left empty at realistic rates, orders
 * with cent amounts. Events are spread evenly over {@code span} from {@code start}.
 */
record TestEvents(List<RequestEvent> requests, List<BusinessEvent> business, List<SystemMetricsEvent> system) {

    private static final String[][] ENDPOINTS = {
        {"crud-api", "GET", "/users"},
        {"crud-api", "GET", "/users/{id}"},
        {"crud-api", "POST", "/users"},
        {"crud-api", "GET", "/products/{id}"},
        {"ecommerce-api", "GET", "/products"},
        {"ecommerce-api", "POST", "/cart/items"},
        {"ecommerce-api", "GET", "/cart"},
        {"ecommerce-api", "POST", "/orders"},
    };
    private static final String[] REGIONS = {"eu-west", "us-east", "ap-south", "sa-east"};
    private static final String[] CATEGORIES = {"books", "electronics", "garden", "toys"};
    private static final String[] USER_AGENTS = {"Mozilla/5.0 (X11; Linux x86_64)", "gatling/3.15", "curl/8.5.0"};
    private static final BusinessEventType[] TYPES = {
        BusinessEventType.PRODUCT_VIEWED,
        BusinessEventType.PRODUCT_VIEWED,
        BusinessEventType.PRODUCT_VIEWED,
        BusinessEventType.CART_ITEM_ADDED,
        BusinessEventType.CART_ITEM_ADDED,
        BusinessEventType.CART_ITEM_REMOVED,
        BusinessEventType.CHECKOUT_STARTED,
        BusinessEventType.ORDER_PLACED,
        BusinessEventType.ORDER_PLACED,
        BusinessEventType.ORDER_FAILED,
        BusinessEventType.USER_REGISTERED,
    };

    static TestEvents generate(long seed, int requests, int business, int system, Instant start, Duration span) {
        Random random = new Random(seed);
        List<RequestEvent> requestEvents = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            requestEvents.add(request(random, at(start, span, i, requests)));
        }
        List<BusinessEvent> businessEvents = new ArrayList<>();
        for (int i = 0; i < business; i++) {
            businessEvents.add(business(random, at(start, span, i, business)));
        }
        List<SystemMetricsEvent> systemEvents = new ArrayList<>();
        for (int i = 0; i < system; i++) {
            systemEvents.add(system(random, i, at(start, span, i, system)));
        }
        return new TestEvents(requestEvents, businessEvents, systemEvents);
    }

    private static Instant at(Instant start, Duration span, int i, int count) {
        return start.plusMillis(span.toMillis() * i / Math.max(1, count));
    }

    static RequestEvent request(Random random, Instant timestamp) {
        String[] endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        boolean product = endpoint[2].startsWith("/products");
        boolean cart = endpoint[2].startsWith("/cart");
        boolean order = endpoint[2].equals("/orders");
        int roll = random.nextInt(100);
        int status = roll < 5
                ? 500
                : roll < 8 ? 503 : roll < 13 ? 404 : roll < 15 ? 400 : "POST".equals(endpoint[1]) ? 201 : 200;
        return RequestEvent.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setTimestamp(timestamp)
                .setServiceName(endpoint[0])
                .setInstanceId(endpoint[0] + "-" + random.nextInt(2))
                .setEndpoint(endpoint[2])
                .setMethod(endpoint[1])
                .setStatusCode(status)
                .setResponseTimeMs(Math.round(Math.exp(3 + 0.6 * random.nextGaussian()) * 1000) / 1000.0)
                .setRequestSizeBytes("POST".equals(endpoint[1]) ? 100 + random.nextInt(900) : 0)
                .setResponseSizeBytes(200 + random.nextInt(20_000))
                .setUserId(random.nextInt(100) < 15 ? null : "user-" + random.nextInt(50))
                .setSessionId("session-" + random.nextInt(80))
                .setClientIp("10.0." + random.nextInt(4) + "." + random.nextInt(250))
                .setRegion(random.nextInt(100) < 5 ? null : REGIONS[random.nextInt(REGIONS.length)])
                .setUserAgent(USER_AGENTS[random.nextInt(USER_AGENTS.length)])
                .setProductId(product ? "product-" + random.nextInt(40) : null)
                .setProductCategory(product ? CATEGORIES[random.nextInt(CATEGORIES.length)] : null)
                .setTransactionAmount(order && status < 400 ? (500 + random.nextInt(50_000)) / 100.0 : null)
                .setCartItemsCount(cart || order ? 1 + random.nextInt(6) : null)
                .build();
    }

    static BusinessEvent business(Random random, Instant timestamp) {
        BusinessEventType type = TYPES[random.nextInt(TYPES.length)];
        boolean order = type == BusinessEventType.ORDER_PLACED || type == BusinessEventType.ORDER_FAILED;
        boolean product = type == BusinessEventType.PRODUCT_VIEWED
                || type == BusinessEventType.CART_ITEM_ADDED
                || type == BusinessEventType.CART_ITEM_REMOVED;
        return BusinessEvent.newBuilder()
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setTimestamp(timestamp)
                .setEventType(type)
                .setServiceName("ecommerce-api")
                .setUserId(
                        type == BusinessEventType.PRODUCT_VIEWED && random.nextBoolean()
                                ? null
                                : "user-" + random.nextInt(50))
                .setSessionId("session-" + random.nextInt(80))
                .setRegion(REGIONS[random.nextInt(REGIONS.length)])
                .setProductId(product ? "product-" + random.nextInt(40) : null)
                .setProductCategory(product ? CATEGORIES[random.nextInt(CATEGORIES.length)] : null)
                .setQuantity(product ? 1 + random.nextInt(3) : null)
                .setCartItemsCount(product || order ? random.nextInt(8) : null)
                .setOrderId(order ? "order-" + random.nextInt(1_000_000) : null)
                // Up to 99 999 999.99 with cents: exact decimals that a double could not sum to the cent.
                .setAmount(order ? BigDecimal.valueOf(1 + random.nextLong(9_999_999_999L), 2) : null)
                .setCurrency(order ? "EUR" : null)
                .setFailureReason(type == BusinessEventType.ORDER_FAILED ? "PAYMENT_DECLINED" : null)
                .build();
    }

    static SystemMetricsEvent system(Random random, int i, Instant timestamp) {
        String service = i % 2 == 0 ? "crud-api" : "ecommerce-api";
        return SystemMetricsEvent.newBuilder()
                .setTimestamp(timestamp)
                .setServiceName(service)
                .setInstanceId(service + "-" + (i / 2) % 2)
                .setProcessCpuUsage(random.nextInt(1000) / 1000.0)
                .setSystemCpuUsage(random.nextInt(1000) / 1000.0)
                .setHeapUsedBytes(50_000_000L + random.nextInt(100_000_000))
                .setHeapCommittedBytes(200_000_000L)
                .setHeapMaxBytes(i % 5 == 0 ? -1 : 512_000_000L)
                .setNonHeapUsedBytes(40_000_000L + random.nextInt(1_000_000))
                .setLiveThreads(20 + random.nextInt(30))
                .setActiveHttpConnections(random.nextInt(10))
                .setInFlightRequests(random.nextInt(5))
                .setPublisherQueueDepth(random.nextInt(100))
                .setPublisherDroppedTotal(random.nextInt(3))
                .build();
    }
}
