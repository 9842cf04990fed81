package io.chanalytics.api.events;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventIds;
import io.chanalytics.metrics.publish.EventPublisher;
import java.time.Instant;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every feature's events class publishes through: stamps a {@link BusinessEvent} with what every service knows
 * (id, time, service, caller), lets the feature add its details, and offers it to the {@link EventPublisher}
 * (never blocking). With events turned off ({@code chanalytics.events.enabled=false}) there is no publisher and it
 * publishes nothing, so the service still runs.
 */
public final class BusinessEventPublisher {

    private final @Nullable EventPublisher publisher;
    private final @Nullable ServiceIdentity identity;

    public BusinessEventPublisher(@Nullable EventPublisher publisher, @Nullable ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    public void publish(BusinessEventType type, Caller caller, Consumer<BusinessEvent.Builder> details) {
        if (publisher == null || identity == null) {
            return;
        }
        BusinessEvent.Builder event = BusinessEvent.newBuilder()
                .setEventId(EventIds.next())
                .setTimestamp(Instant.now())
                .setEventType(type)
                .setServiceName(identity.serviceName())
                .setUserId(caller.userId())
                .setSessionId(caller.sessionId())
                .setRegion(caller.region());
        details.accept(event);
        publisher.publish(event.build());
    }
}
