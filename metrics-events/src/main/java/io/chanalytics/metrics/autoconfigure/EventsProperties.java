package io.chanalytics.metrics.autoconfigure;

import io.chanalytics.metrics.publish.EventTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code chanalytics.events.*}: where events go and how much may wait for Kafka.
 *
 * @param enabled turns publishing, request recording and system reports off together
 * @param serviceName defaults to {@code spring.application.name}
 * @param bootstrapServers Kafka brokers
 * @param schemaRegistryUrl Confluent-compatible schema registry
 * @param queueCapacity events that may wait for Kafka before new ones are dropped
 * @param topics topic per event type
 * @param systemMetricsInterval how often the instance reports CPU, memory and connections
 * @param excludedPaths path prefixes not recorded (health probes would otherwise dominate the data)
 * @param producer raw Kafka producer properties that override the telemetry defaults
 */
@ConfigurationProperties("chanalytics.events")
public record EventsProperties(
        @DefaultValue("true") boolean enabled,
        String serviceName,
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("http://localhost:8081") String schemaRegistryUrl,
        @DefaultValue("10000") int queueCapacity,
        @DefaultValue Topics topics,
        @DefaultValue("10s") Duration systemMetricsInterval,
        @DefaultValue("/actuator") List<String> excludedPaths,
        Map<String, String> producer) {

    public record Topics(
            @DefaultValue("request-events") String request,
            @DefaultValue("business-events") String business,
            @DefaultValue("system-metrics") String systemMetrics) {

        EventTopics toEventTopics() {
            return new EventTopics(request, business, systemMetrics);
        }
    }

    public EventsProperties {
        producer = producer == null ? Map.of() : Map.copyOf(producer);
    }
}
