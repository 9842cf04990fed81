package io.chanalytics.metrics.publish;

/**
 * A snapshot of the publisher's accounting. Every offered event is in exactly one bucket, so
 * {@code offered == published + failed + dropped + queued + inFlight} at all times.
 */
public record PublisherStats(long offered, long published, long failed, long dropped, int queued, long inFlight) {

    public long accountedFor() {
        return published + failed + dropped + queued + inFlight;
    }
}
