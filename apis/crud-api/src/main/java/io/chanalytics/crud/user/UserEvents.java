package io.chanalytics.crud.user;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.events.BusinessEventPublisher;
import io.chanalytics.events.BusinessEventType;
import org.springframework.stereotype.Component;

/** The business facts about users; publishing never blocks or fails the request. */
@Component
class UserEvents {

    private final BusinessEventPublisher events;

    UserEvents(BusinessEventPublisher events) {
        this.events = events;
    }

    /** The new user's id, not the caller's header, identifies who registered. */
    void registered(User user, Caller caller) {
        events.publish(
                BusinessEventType.USER_REGISTERED,
                caller,
                event -> event.setUserId(Long.toString(user.id())).setRegion(user.region()));
    }
}
