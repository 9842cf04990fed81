package io.chanalytics.simulator.config;

import java.util.concurrent.ThreadLocalRandom;

/** An inclusive {@code [min, max]} pair from the YAML, such as {@code requests_per_session: [5, 15]}. */
public record Range(double min, double max) {

    public double mean() {
        return (min + max) / 2;
    }

    /** A uniformly drawn whole number between min and max, both included. */
    public int randomInt() {
        return (int) ThreadLocalRandom.current().nextLong(Math.round(min), Math.round(max) + 1);
    }
}
