package io.chanalytics.api.events;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import java.time.Instant;
import java.util.UUID;

/** Starts a {@link BusinessEvent} with what every service knows about it: when, which service and who called. */
public final class CallerBusinessEvents {

    private CallerBusinessEvents() {}

    public static BusinessEvent.Builder start(BusinessEventType type, Caller caller, ServiceIdentity identity) {
        return BusinessEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTimestamp(Instant.now())
                .setEventType(type)
                .setServiceName(identity.serviceName())
                .setUserId(caller.userId())
                .setSessionId(caller.sessionId())
                .setRegion(caller.region());
    }
}
