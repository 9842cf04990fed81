package io.chanalytics.simulator.config;

import java.util.List;

/** The whole {@code config.yaml}, validated, with overrides applied. */
public record SimulatorConfig(
        String source,
        SimulationSettings simulation,
        List<String> regions,
        List<UserType> userTypes,
        List<ServiceSettings> services,
        AssertionSettings assertions) {

    public ServiceSettings service(String name) {
        return services.stream()
                .filter(service -> service.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    public double totalUserTypeWeight() {
        return userTypes.stream().mapToDouble(UserType::weight).sum();
    }

    /** Requests one arriving session sends on average, over the user-type mix. */
    public double meanRequestsPerSession() {
        return userTypes.stream()
                        .mapToDouble(type ->
                                type.weight() * type.requestsPerSession().mean())
                        .sum()
                / totalUserTypeWeight();
    }

    /**
     * Sessions per second that offer the target request rate: each arriving session sends its requests whatever the
     * response times, so arrivals times requests per session is the offered rate once the ramp is over.
     */
    public double sessionsPerSecond() {
        return simulation.requestsPerSecond() / meanRequestsPerSession();
    }

    public double sessionsPerSecond(UserType type) {
        return sessionsPerSecond() * type.weight() / totalUserTypeWeight();
    }

    /** Sessions open at once in the steady state (Little's law), to compare with {@code simulation.workers}. */
    public double expectedConcurrentSessions() {
        return userTypes.stream()
                .mapToDouble(type -> sessionsPerSecond(type) * type.meanSessionSeconds())
                .sum();
    }
}
