package io.chanalytics.metrics.publish;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which Kafka topic each event type goes to, bound as {@code chanalytics.events.topics.*}. The defaults here are the
 * only place the topic names are written in Java; the registry subject of a topic is {@code <topic>-value}.
 */
public record EventTopics(
        @DefaultValue(EventTopics.REQUEST) String request,
        @DefaultValue(EventTopics.BUSINESS) String business,
        @DefaultValue(EventTopics.SYSTEM_METRICS) String systemMetrics) {

    static final String REQUEST = "request-events";
    static final String BUSINESS = "business-events";
    static final String SYSTEM_METRICS = "system-metrics";

    public static final EventTopics DEFAULTS = new EventTopics(REQUEST, BUSINESS, SYSTEM_METRICS);

    /**
     * The topic of {@code event}'s type. Plain {@code instanceof} rather than a pattern switch: this runs on the request
     * path, and a type switch pays a one-off bootstrap of several milliseconds on its first call.
     */
    public Optional<String> topicFor(SpecificRecord event) {
        if (event instanceof RequestEvent) {
            return Optional.of(request);
        }
        if (event instanceof BusinessEvent) {
            return Optional.of(business);
        }
        if (event instanceof SystemMetricsEvent) {
            return Optional.of(systemMetrics);
        }
        return Optional.empty();
    }

    public List<String> all() {
        return List.of(request, business, systemMetrics);
    }

    public static String subjectOf(String topic) {
        return topic + "-value";
    }
}
