package io.chanalytics.simulator.config;

import java.time.Duration;

/**
 * The {@code simulation} section. {@code workers} is the number of sessions the simulator may keep open at once: the
 * load is an open model (arrivals do not wait for responses), so it is a capacity budget the target rate must fit in,
 * checked before the run starts.
 *
 * @param durationMinutes how long to hold the target rate after the ramp; 0 runs until stopped
 */
public record SimulationSettings(int workers, double requestsPerSecond, double durationMinutes, double rampSeconds) {

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
