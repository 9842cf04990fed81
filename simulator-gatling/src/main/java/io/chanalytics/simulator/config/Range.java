package io.chanalytics.simulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;

/**
 * An inclusive {@code [min, max]} pair of seconds from the YAML, such as {@code think_time_seconds: [1, 4]}. That min
 * is not above max is checked by {@link CrossReferences}, which names the key.
 */
public record Range(
        @NotNull @PositiveOrZero Double min, @NotNull Double max) {

    /** The YAML writes a range as a two-element list. */
    @JsonCreator
    static Range fromPair(List<Double> pair) {
        requirePair(pair);
        return new Range(pair.get(0), pair.get(1));
    }

    /** Thrown from a creator, the message reaches the user after the key Jackson was binding. */
    static void requirePair(List<?> pair) {
        if (pair.size() != 2) {
            throw new IllegalArgumentException("must be a pair [min, max], found " + pair);
        }
    }

    public double mean() {
        return (min + max) / 2;
    }
}
