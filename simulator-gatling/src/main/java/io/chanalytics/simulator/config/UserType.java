package io.chanalytics.simulator.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** One kind of visitor: how often it arrives relative to the others, how long it stays and how fast it clicks. */
public record UserType(
        @NotBlank String name,
        @NotNull @Positive Double weight,
        @NotNull @Valid CountRange requestsPerSession,
        @NotNull @Valid Range thinkTimeSeconds) {

    /** Mean wall time of one session, ignoring response times: one think time between consecutive requests. */
    public double meanSessionSeconds() {
        return Math.max(0, requestsPerSession.mean() - 1) * thinkTimeSeconds.mean();
    }
}
