package io.chanalytics.crud.user;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.CallerBusinessEvents;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import org.springframework.stereotype.Component;

/** The business facts about users; publishing never blocks or fails the request. */
@Component
class UserEvents {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;

    UserEvents(EventPublisher publisher, ServiceIdentity identity) {
        this.publisher = publisher;
        this.identity = identity;
    }

    /** The new user's id, not the caller's header, identifies who registered. */
    void registered(User user, Caller caller) {
        publisher.publish(CallerBusinessEvents.start(BusinessEventType.USER_REGISTERED, caller, identity)
                .setUserId(Long.toString(user.id()))
                .setRegion(user.region())
                .build());
    }
}
