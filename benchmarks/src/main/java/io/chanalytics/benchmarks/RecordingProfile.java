package io.chanalytics.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service's CPU samples went, from a JFR recording of it ({@code jdk.ExecutionSample}: threads running Java
 * code, sampled every 10 ms by the {@code profile} settings): the request recording's own share against everything
 * else the service does. A sample is the recording's when it is on the publisher's drain thread or the Kafka
 * producer's network thread, or when its innermost frame of our code is the recording library's
 * ({@code io.chanalytics.metrics}: the filter, {@code publish()}, the serializer, the system metrics; or the events'
 * generated classes) or it runs in Avro or the Kafka client. Innermost, not any: the filter wraps the whole exchange, so every handler's stack holds it.
 *
 * @param samples all execution samples of the process
 * @param byPart the recording's samples by where they were taken
 */
record RecordingProfile(long samples, Map<String, Long> byPart) {

    private static final List<String> LIBRARIES = List.of("org.apache.avro.", "org.apache.kafka.");
    private static final String OURS = "io.chanalytics.";
    private static final String RECORDING = "io.chanalytics.metrics.";
    // The Avro classes generated from metrics-events' schemas: built only to be recorded.
    private static final String EVENTS = "io.chanalytics.events.";

    static RecordingProfile of(Path jfr) throws IOException {
        long samples = 0;
        Map<String, Long> byPart = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            String part = part(event);
            if (part != null) {
                byPart.merge(part, 1L, Long::sum);
            }
        }
        return new RecordingProfile(samples, byPart);
    }

    /** The recording's part this sample belongs to, or null when it is the service's other work. */
    private static String part(RecordedEvent event) {
        String thread = event.getThread("sampledThread") == null
                ? ""
                : String.valueOf(event.getThread("sampledThread").getJavaName());
        if (thread.equals("event-publisher")) {
            return "publisher drain thread (serialize, send)";
        }
        if (thread.startsWith("kafka-producer-network-thread")) {
            return "Kafka producer network thread";
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) { // innermost first
            String type = frame.getMethod().getType().getName();
            if (LIBRARIES.stream().anyMatch(type::startsWith)) {
                return "Avro or Kafka client on other threads";
            }
            if (type.startsWith(OURS)) {
                return type.startsWith(RECORDING) || type.startsWith(EVENTS)
                        ? "recording code on request threads (" + area(type) + ")"
                        : null;
            }
        }
        return null;
    }

    private static String area(String type) {
        String rest = type.substring(type.startsWith(EVENTS) ? OURS.length() : RECORDING.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    long recording() {
        return byPart.values().stream().mapToLong(Long::longValue).sum();
    }

    double share() {
        return samples == 0 ? Double.NaN : (double) recording() / samples;
    }
}
