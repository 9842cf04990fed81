package io.chanalytics.simulator.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code simulation} section. {@code workers} is the number of sessions the simulator may keep open at once: the
 * load is an open model (arrivals do not wait for responses), so it is a capacity budget the target rate must fit in;
 * when it does not, the run offers the rate the workers sustain and warns ({@link SimulatorConfig#offeredRate()}).
 * Numbers are boxed so that a missing key is reported as missing, not read as 0.
 *
 * @param durationMinutes how long to hold the target rate after the ramp; 0 runs until stopped
 * @param rampSeconds {@value #DEFAULT_RAMP_SECONDS} when left out
 */
public record SimulationSettings(
        @NotNull @Positive Integer workers,
        @NotNull @Positive Double requestsPerSecond,
        @NotNull @PositiveOrZero Double durationMinutes,
        @DefaultValue(DEFAULT_RAMP_SECONDS) @PositiveOrZero Double rampSeconds) {

    static final String DEFAULT_RAMP_SECONDS = "10";

    /** Long enough to mean "until stopped" while keeping Gatling's injection arithmetic finite. */
    static final Duration UNTIL_STOPPED = Duration.ofDays(365);

    public boolean runsUntilStopped() {
        return durationMinutes == 0;
    }

    public Duration hold() {
        return runsUntilStopped() ? UNTIL_STOPPED : Duration.ofMillis(Math.round(durationMinutes * 60_000));
    }

    public Duration ramp() {
        return Duration.ofMillis(Math.round(rampSeconds * 1000));
    }
}
