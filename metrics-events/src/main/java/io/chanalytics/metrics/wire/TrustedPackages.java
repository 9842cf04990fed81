package io.chanalytics.metrics.wire;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate classes that are not explicitly trusted while decoding ("Forbidden ... This class
 * is not trusted"). Its system properties are read once at class initialisation, too early to rely on, so the event
 * classes are added to the global predicate instead.
 */
final class TrustedPackages {

    private static boolean trusted;

    private TrustedPackages() {}

    static synchronized void trustEventClasses() {
        if (trusted) {
            return;
        }
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(),
                ClassSecurityValidator.builder()
                        .add(RequestEvent.class)
                        .add(BusinessEvent.class)
                        .add(BusinessEventType.class)
                        .add(SystemMetricsEvent.class)
                        .build()));
        trusted = true;
    }
}
