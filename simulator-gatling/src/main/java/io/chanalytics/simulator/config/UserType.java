package io.chanalytics.simulator.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One kind of visitor: how often it arrives relative to the others, how long it stays and how fast it clicks. The
 * ranges are {@code [min, max]} pairs, as the YAML writes them ({@code requests_per_session: [5, 15]}), bound as lists
 * so that Bean Validation names the element at fault; binding to {@code Integer} refuses {@code 2.5} requests. That
 * min is not above max is checked by {@link CrossReferences}.
 */
public record UserType(
        @NotBlank String name,
        @NotNull @Positive Double weight,
        @NotNull @Size(min = 2, max = 2, message = PAIR) List<@NotNull @Positive Integer> requestsPerSession,
        @NotNull @Size(min = 2, max = 2, message = PAIR) List<@NotNull @PositiveOrZero Double> thinkTimeSeconds) {

    static final String PAIR = "must be a pair [min, max]";

    /** A uniformly drawn number of requests for one session, min and max included. */
    public int randomRequestsPerSession() {
        return ThreadLocalRandom.current().nextInt(requestsPerSession.getFirst(), requestsPerSession.getLast() + 1);
    }

    public double meanRequestsPerSession() {
        return (requestsPerSession.getFirst() + requestsPerSession.getLast()) / 2.0;
    }

    public Duration minThinkTime() {
        return Duration.ofMillis(Math.round(thinkTimeSeconds.getFirst() * 1000));
    }

    public Duration maxThinkTime() {
        return Duration.ofMillis(Math.round(thinkTimeSeconds.getLast() * 1000));
    }

    /** Mean wall time of one session, ignoring response times: one think time between consecutive requests. */
    public double meanSessionSeconds() {
        double meanThinkTime = (thinkTimeSeconds.getFirst() + thinkTimeSeconds.getLast()) / 2;
        return Math.max(0, meanRequestsPerSession() - 1) * meanThinkTime;
    }
}
