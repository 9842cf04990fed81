package io.chanalytics.stack.verify;

import static io.chanalytics.stack.verify.StackHttp.await;
import static io.chanalytics.stack.verify.StackHttp.expect;
import static io.chanalytics.stack.verify.StackHttp.json;
import static io.chanalytics.stack.verify.StackHttp.rootMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.stack.verify.StackHttp.Answer;
import io.chanalytics.stack.verify.StackVerifier.Outcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A short scripted session through both APIs (browse, add to cart, check out, one refused order), then found again in
 * ClickHouse: exactly in the raw table, alike in the rollup, and the order as PostgreSQL holds it.
 */
record SessionChecks(StackHttp http, CheckList checks) {

    private StackVerifier.Target target() {
        return http.target();
    }

    record Session(Instant started, int requests, long orderId, BigDecimal orderTotal) {}

    /** Runs the session; empty when it could not complete (recorded as a failed check). */
    Optional<Session> run() {
        Instant started = Instant.now();
        int sent = 0;
        try {
            Answer products = http.call("GET", target().crudApi(), "/products?size=5", null);
            sent++;
            if (json(products.body()).path("content").isEmpty()) {
                http.callAsAdmin("POST", target().crudApi(), "/demo/generate-products?count=5&seed=7", null);
                sent++;
                products = http.call("GET", target().crudApi(), "/products?size=5", null);
                sent++;
            }
            JsonNode product = null;
            for (JsonNode candidate : json(products.body()).path("content")) {
                if (candidate.path("stock").asInt() > 0) {
                    product = candidate;
                    break;
                }
            }
            if (product == null) {
                checks.add("scripted session", false, "no product in stock to buy");
                return Optional.empty();
            }
            long productId = product.path("id").asLong();
            expect(http.call("GET", target().crudApi(), "/products/" + productId, null), 200);
            sent++;
            expect(
                    http.call(
                            "POST",
                            target().ecommerceApi(),
                            "/cart",
                            "{\"productId\":" + productId + ",\"quantity\":1}"),
                    201);
            sent++;
            Answer order = http.call("POST", target().ecommerceApi(), "/checkout", null);
            sent++;
            expect(order, 201);
            // A refused order too (a product that does not exist), so the failed-orders panels have this session's
            // data.
            expect(
                    http.call(
                            "POST",
                            target().ecommerceApi(),
                            "/orders",
                            "{\"items\":[{\"productId\":" + Long.MAX_VALUE + ",\"quantity\":1}]}"),
                    422);
            sent++;
            JsonNode placed = json(order.body());
            checks.add(
                    "scripted session",
                    true,
                    sent + " requests, order " + placed.path("id").asLong() + " placed");
            return Optional.of(new Session(
                    started,
                    sent,
                    placed.path("id").asLong(),
                    new BigDecimal(placed.path("total").asText())));
        } catch (Exception e) {
            checks.add("scripted session", false, "after " + sent + " requests: " + rootMessage(e));
            return Optional.empty();
        }
    }

    void reconcile(Session session) {
        Map<String, String> ofRun = Map.of("run", http.runId());
        String requests = "SELECT uniqExact(event_id) FROM analytics.request_metrics WHERE user_agent = {run:String}";
        boolean exact = await(() -> http.query(requests, ofRun).text().equals(Integer.toString(session.requests())));
        checks.add(
                "request_metrics = requests sent",
                exact,
                "sent " + session.requests() + ", found "
                        + http.query(requests, ofRun).text() + " (user agent " + http.runId() + ")");

        // The rollup is fed from the same blocks as the raw table: over the session's minutes they count alike.
        Map<String, String> since =
                Map.of("since", Long.toString(session.started().getEpochSecond()));
        String agree = "SELECT (SELECT countMerge(requests) FROM analytics.request_metrics_1m"
                + " WHERE minute >= toStartOfMinute(toDateTime({since:UInt32})))"
                + " = (SELECT count() FROM analytics.request_metrics"
                + " WHERE timestamp >= toStartOfMinute(toDateTime({since:UInt32})))";
        checks.add(
                "request rollup = raw rows",
                await(() -> http.query(agree, since).text().equals("1")),
                "since the session's first minute");

        Answer stored = http.call("GET", target().ecommerceApi(), "/orders/" + session.orderId(), null);
        BigDecimal total = stored.status() == 200
                ? new BigDecimal(json(stored.body()).path("total").asText())
                : BigDecimal.ZERO;
        Map<String, String> ofSession = Map.of("session", http.sessionId());
        String placed = "SELECT count(), sum(amount) FROM analytics.business_events"
                + " WHERE session_id = {session:String} AND event_type = 'ORDER_PLACED'";
        boolean same = await(() -> {
            String[] row = http.query(placed, ofSession).text().split("\t");
            return row.length == 2 && row[0].equals("1") && new BigDecimal(row[1]).compareTo(total) == 0;
        });
        checks.add(
                "ORDER_PLACED = PostgreSQL order",
                stored.status() == 200 && same && total.compareTo(session.orderTotal()) == 0,
                "order " + session.orderId() + " total " + total + " (PostgreSQL via the API), ClickHouse "
                        + http.query(placed, ofSession).text().replace('\t', ' '));
    }

    void reconcileRefusal() {
        Map<String, String> ofSession = Map.of("session", http.sessionId());
        String failed = "SELECT count() FROM analytics.business_events WHERE session_id = {session:String}"
                + " AND event_type = 'ORDER_FAILED' AND failure_reason = 'PRODUCT_NOT_FOUND'";
        checks.add(
                "ORDER_FAILED for the refused order",
                await(() -> http.query(failed, ofSession).text().equals("1")),
                "found " + http.query(failed, ofSession).text());
    }

    void kafkaUiDecodes() {
        Answer messages = http.get(
                target().kafkaUi()
                        .resolve("/api/clusters/chanalytics/topics/" + EventTopics.DEFAULTS.request()
                                + "/messages/v2?mode=LATEST&limit=200"),
                Map.of());
        if (messages.status() == 302 || messages.status() == 401) {
            // Compose's Kafka UI signs its users in through Keycloak's login page, which a script does not drive.
            checks.add(
                    "kafka-ui shows request events decoded",
                    Outcome.NOT_CHECKED,
                    "Kafka UI asks for sign-in through Keycloak (HTTP " + messages.status() + ")");
            return;
        }
        checks.add(
                "kafka-ui shows request events decoded",
                messages.status() == 200
                        && messages.body().contains(http.runId())
                        && messages.body().contains("service_name"),
                messages.status() == 200 ? "the session's events found decoded" : messages.describe());
    }
}
