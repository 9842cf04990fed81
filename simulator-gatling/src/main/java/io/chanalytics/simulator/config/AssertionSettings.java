package io.chanalytics.simulator.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;

/**
 * The {@code assertions} section: global limits Gatling checks at the end of the run; a broken one fails the run (and
 * the Maven build). A null limit is not checked.
 */
public record AssertionSettings(
        @DecimalMin(value = "0", message = PERCENTAGE) @DecimalMax(value = "100", message = PERCENTAGE)
        Double maxErrorPercent,

        @Positive Integer p95ResponseTimeMs,
        @Positive Integer p99ResponseTimeMs) {

    static final String PERCENTAGE = "must be a percentage between 0 and 100";

    public static AssertionSettings none() {
        return new AssertionSettings(null, null, null);
    }
}
