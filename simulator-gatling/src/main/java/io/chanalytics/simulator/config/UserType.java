package io.chanalytics.simulator.config;

/** One kind of visitor: how often it arrives relative to the others, how long it stays and how fast it clicks. */
public record UserType(String name, double weight, Range requestsPerSession, Range thinkTimeSeconds) {

    /** Mean wall time of one session, ignoring response times: one think time between consecutive requests. */
    public double meanSessionSeconds() {
        return Math.max(0, requestsPerSession.mean() - 1) * thinkTimeSeconds.mean();
    }
}
