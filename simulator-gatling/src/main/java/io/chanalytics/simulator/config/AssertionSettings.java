package io.chanalytics.simulator.config;

/**
 * The {@code assertions} section: global limits Gatling checks at the end of the run; a broken one fails the run (and
 * the Maven build). A null limit is not checked.
 */
public record AssertionSettings(Double maxErrorPercent, Integer p95ResponseTimeMs, Integer p99ResponseTimeMs) {

    public static AssertionSettings none() {
        return new AssertionSettings(null, null, null);
    }
}
