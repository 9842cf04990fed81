package io.chanalytics.stack.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded stack's receiver of Alertmanager's notifications (the webhook of
 * {@code monitoring/alertmanager/alertmanager.yml}): each alert goes to the stack's log, where the person who started
 * the stack sees it, and is kept for the tests. Compose users point that receiver at their own (docs/operations.md).
 */
public final class AlertWebhook implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AlertNotification> received = new CopyOnWriteArrayList<>();
    private LoopbackServer server;

    private AlertWebhook() {}

    /** Listens on loopback {@code port} (0 picks a free one), path {@code /alerts}. */
    public static AlertWebhook start(int port) {
        var webhook = new AlertWebhook();
        webhook.server = LoopbackServer.start(port, "/alerts", webhook::handle, "alert-webhook");
        return webhook;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.port() + "/alerts");
    }

    /** Every alert received so far, oldest first. */
    public List<AlertNotification> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode notification;
            try {
                notification = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Instant now = Instant.now();
            for (JsonNode alert : notification.path("alerts")) {
                var entry = new AlertNotification(
                        now,
                        alert.path("status").asText(),
                        texts(alert.path("labels")),
                        alert.path("annotations").path("summary").asText(""));
                received.add(entry);
                if (entry.firing()) {
                    log.warn("ALERT {}", entry);
                } else {
                    log.info("ALERT {}", entry);
                }
            }
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> texts = new TreeMap<>();
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.forEach(name -> texts.put(name, object.path(name).asText()));
        return texts;
    }

    @Override
    public void close() {
        server.close();
    }
}
