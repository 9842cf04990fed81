package io.chanalytics.stack.monitoring;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The consumer lag of the broker's consumer groups (ClickHouse's among them) on {@code /metrics}, under the names
 * compose's exporter (danielqsj/kafka-exporter) gives it, so one rule file serves both modes:
 * {@code kafka_consumergroup_lag{consumergroup,partition,topic}}, {@code kafka_consumergroup_current_offset} and
 * {@code kafka_consumergroup_lag_sum{consumergroup,topic}}. Read from the broker at each scrape; while the broker does
 * not answer, the scrape fails (503), so the target shows down, as the exporter's does.
 */
public final class ConsumerLagExporter implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 5;

    private final Admin admin;
    private LoopbackServer server;

    private ConsumerLagExporter(Admin admin) {
        this.admin = admin;
    }

    /** Serves on loopback {@code port} (0 picks a free one) the lag of the groups on {@code bootstrapServers}. */
    public static ConsumerLagExporter start(int port, String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "consumer-lag-exporter");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        var exporter = new ConsumerLagExporter(Admin.create(config));
        try {
            exporter.server = LoopbackServer.start(port, "/metrics", exporter::handle, "consumer-lag-exporter");
        } catch (RuntimeException e) {
            exporter.admin.close();
            throw e;
        }
        return exporter;
    }

    public URI metricsUri() {
        return URI.create("http://127.0.0.1:" + port() + "/metrics");
    }

    public int port() {
        return server.port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            int status;
            try {
                body = page().bytes();
                status = 200;
            } catch (ExecutionException | TimeoutException e) {
                body = ("The broker did not answer: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
                status = 503;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? Exposition.CONTENT_TYPE : "text/plain");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** One page: every group's committed offset and lag per partition, and the lag's sum per topic. */
    Exposition page() throws ExecutionException, InterruptedException, TimeoutException {
        var page = new Exposition();
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new TreeMap<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group.groupId())
                    .partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            offsets.values().removeIf(offset -> offset == null);
            committed.put(group.groupId(), offsets);
        }
        Map<TopicPartition, OffsetSpec> partitions = committed.values().stream()
                .flatMap(offsets -> offsets.keySet().stream())
                .distinct()
                .collect(Collectors.toMap(Function.identity(), partition -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends =
                admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, end -> end.getValue().offset()));

        page.family(
                "kafka_consumergroup_current_offset", "gauge", "Current Offset of a ConsumerGroup at Topic/Partition");
        committed.forEach((group, offsets) -> offsets.forEach((partition, offset) ->
                page.sample("kafka_consumergroup_current_offset", labels(group, partition), offset.offset())));
        page.family(
                "kafka_consumergroup_lag", "gauge", "Current Approximate Lag of a ConsumerGroup at Topic/Partition");
        Map<String, Map<String, Long>> sums = new TreeMap<>();
        committed.forEach((group, offsets) -> offsets.forEach((partition, offset) -> {
            long lag = Math.max(0, ends.getOrDefault(partition, offset.offset()) - offset.offset());
            page.sample("kafka_consumergroup_lag", labels(group, partition), lag);
            sums.computeIfAbsent(group, ignored -> new TreeMap<>()).merge(partition.topic(), lag, Long::sum);
        }));
        page.family(
                "kafka_consumergroup_lag_sum",
                "gauge",
                "Current Approximate Lag of a ConsumerGroup at Topic for all partitions");
        sums.forEach((group, topics) -> topics.forEach((topic, lag) ->
                page.sample("kafka_consumergroup_lag_sum", Map.of("consumergroup", group, "topic", topic), lag)));
        return page;
    }

    private static Map<String, String> labels(String group, TopicPartition partition) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("consumergroup", group);
        labels.put("partition", Integer.toString(partition.partition()));
        labels.put("topic", partition.topic());
        return labels;
    }

    @Override
    public void close() {
        server.close();
        admin.close(java.time.Duration.ofSeconds(2));
    }
}
