package io.chanalytics.metrics.autoconfigure;

import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.publish.TopicSettings;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code chanalytics.events.*}: where events go and how much may wait for Kafka. How to reach Kafka (brokers, SSL,
 * SASL, compression, client id) is Spring Boot's {@code spring.kafka.*}.
 *
 * @param enabled turns publishing, request recording and system reports off together
 * @param serviceName defaults to {@code spring.application.name}
 * @param schemaRegistryUrl Confluent-compatible schema registry
 * @param queueCapacity events that may wait for Kafka before new ones are dropped
 * @param topics topic per event type
 * @param topicSettings partitions, replication and retention of the topics the service creates if missing
 * @param systemMetricsInterval how often the instance reports CPU, memory and connections
 * @param excludedPaths path prefixes not recorded (health probes would otherwise dominate the data)
 */
@ConfigurationProperties("chanalytics.events")
public record EventsProperties(
        @DefaultValue("true") boolean enabled,
        String serviceName,
        @DefaultValue("http://localhost:8081") String schemaRegistryUrl,

        @DefaultValue("" + EventPublisherSettings.DEFAULT_QUEUE_CAPACITY)
        int queueCapacity,

        @DefaultValue EventTopics topics,
        @DefaultValue TopicSettings topicSettings,
        @DefaultValue("10s") Duration systemMetricsInterval,
        @DefaultValue("/actuator") List<String> excludedPaths) {

    EventPublisherSettings publisherSettings() {
        return EventPublisherSettings.DEFAULTS.withQueueCapacity(queueCapacity).withTopics(topics);
    }
}
