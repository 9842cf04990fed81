package io.chanalytics.simulator.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An inclusive {@code [min, max]} pair of whole numbers, such as {@code requests_per_session: [5, 15]}: binding to
 * {@code Integer} refuses {@code 2.5}. That min is not above max is checked by {@link CrossReferences}.
 */
public record CountRange(
        @NotNull @Positive Integer min, @NotNull Integer max) {

    @JsonCreator
    static CountRange fromPair(List<Integer> pair) {
        Range.requirePair(pair);
        return new CountRange(pair.get(0), pair.get(1));
    }

    public double mean() {
        return (min + max) / 2.0;
    }

    /** A uniformly drawn whole number between min and max, both included. */
    public int randomInt() {
        return ThreadLocalRandom.current().nextInt(min, max + 1);
    }
}
