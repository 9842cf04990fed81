package io.chanalytics.metrics.publish;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Which Kafka topic each event type goes to. The registry subject of a topic is {@code <topic>-value}. */
public record EventTopics(String request, String business, String systemMetrics) {

    public static final EventTopics DEFAULTS = new EventTopics("request-events", "business-events", "system-metrics");

    public Optional<String> topicFor(SpecificRecord event) {
        return switch (event) {
            case RequestEvent e -> Optional.of(request);
            case BusinessEvent e -> Optional.of(business);
            case SystemMetricsEvent e -> Optional.of(systemMetrics);
            default -> Optional.empty();
        };
    }

    public List<String> all() {
        return List.of(request, business, systemMetrics);
    }

    public static String subjectOf(String topic) {
        return topic + "-value";
    }
}
