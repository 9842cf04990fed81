package io.chanalytics.metrics.publish;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the event topics are created, bound as {@code chanalytics.events.topic-settings.*}: by each service through
 * Spring Boot's {@code KafkaAdmin} (a no-op when they exist), and by the embedded stack before ClickHouse subscribes.
 *
 * @param partitions upper bound of ClickHouse consumers per table and of producer parallelism
 * @param replicationFactor 1 on a single broker; 3 on a cluster
 * @param retention how long Kafka keeps events after ClickHouse has read them, for replays
 * @param compression kept as the producers send it (lz4), so the broker never recompresses
 */
public record TopicSettings(
        @DefaultValue("" + TopicSettings.DEFAULT_PARTITIONS) int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("7d") Duration retention,
        @DefaultValue("lz4") String compression) {

    static final int DEFAULT_PARTITIONS = 3;

    public static final TopicSettings DEFAULTS =
            new TopicSettings(DEFAULT_PARTITIONS, (short) 1, Duration.ofDays(7), "lz4");

    public TopicSettings withPartitions(int count) {
        return new TopicSettings(count, replicationFactor, retention, compression);
    }

    public List<NewTopic> newTopics(EventTopics topics) {
        return topics.all().stream().map(this::newTopic).toList();
    }

    public NewTopic newTopic(String name) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(retention.toMillis()),
                        TopicConfig.COMPRESSION_TYPE_CONFIG,
                        compression));
    }
}
