package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Service;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The whole {@code config.yaml}, with overrides applied. Spring Boot's binder fills it, Bean Validation checks the
 * constraints on the components, {@link CrossReferences} the rules between keys.
 *
 * @param source where it was read from, for the run's log line (not a key of the file)
 * @param regions {@code X-Region} of users the load registers; null (left out) for the regions of the CRUD API's users
 * @param endpoints the services by their key, in the enum's order
 * @param warnings values the run cannot honour exactly, each starting with its key; printed when the run starts (not
 *     a key of the file)
 */
public record SimulatorConfig(
        String source,
        @NotNull @Valid SimulationSettings simulation,

        @Size(min = 1, message = "must list at least one region")
        List<@NotBlank String> regions,

        @NotEmpty(message = "must define at least one user type")
        List<@NotNull @Valid UserType> userTypes,

        @NotEmpty(message = "must define at least one service")
        Map<Service, @NotNull @Valid ServiceSettings> endpoints,

        @Valid AssertionSettings assertions,
        List<String> warnings) {

    public SimulatorConfig {
        // Left out: the regions of the CRUD API's users (its demo data owns the list), learned when the run starts.
        regions = regions == null ? null : regions.stream().distinct().toList();
        endpoints = endpoints == null ? null : inEnumOrder(endpoints);
        assertions = assertions == null ? AssertionSettings.none() : assertions;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** What the binder calls: the file has no {@code source} or {@code warnings} key, so one there is refused. */
    @ConstructorBinding
    SimulatorConfig(
            SimulationSettings simulation,
            List<String> regions,
            List<UserType> userTypes,
            Map<Service, ServiceSettings> endpoints,
            AssertionSettings assertions) {
        this(null, simulation, regions, userTypes, endpoints, assertions, null);
    }

    SimulatorConfig withSource(String source) {
        return new SimulatorConfig(source, simulation, regions, userTypes, endpoints, assertions, warnings);
    }

    SimulatorConfig withWarnings(List<String> warnings) {
        return new SimulatorConfig(source, simulation, regions, userTypes, endpoints, assertions, warnings);
    }

    public Collection<ServiceSettings> services() {
        return endpoints.values();
    }

    public boolean has(Service service) {
        return endpoints.containsKey(service);
    }

    public ServiceSettings service(Service service) {
        ServiceSettings settings = endpoints.get(service);
        if (settings == null) {
            throw new IllegalArgumentException("no service " + service.key());
        }
        return settings;
    }

    public double totalUserTypeWeight() {
        return userTypes.stream().mapToDouble(UserType::weight).sum();
    }

    /** Requests one arriving session sends on average, over the user-type mix. */
    public double meanRequestsPerSession() {
        return userTypes.stream()
                        .mapToDouble(type -> type.weight() * type.meanRequestsPerSession())
                        .sum()
                / totalUserTypeWeight();
    }

    /** Mean wall time of one arriving session over the user-type mix, ignoring response times. */
    public double meanSessionSeconds() {
        return userTypes.stream()
                        .mapToDouble(type -> type.weight() * type.meanSessionSeconds())
                        .sum()
                / totalUserTypeWeight();
    }

    /**
     * Sessions open at once in the steady state at the target rate (Little's law: arrivals times mean session length),
     * to compare with {@code simulation.workers}.
     */
    public double expectedConcurrentSessions() {
        return simulation.requestsPerSecond() / meanRequestsPerSession() * meanSessionSeconds();
    }

    /**
     * The request rate the run offers: the target, or what {@code simulation.workers} sessions open at once can
     * sustain when that is less (the concurrency scales with the rate, so the rate shrinks by workers / needed).
     */
    public double offeredRate() {
        double needed = expectedConcurrentSessions();
        int workers = simulation.workers();
        return needed > workers ? simulation.requestsPerSecond() * workers / needed : simulation.requestsPerSecond();
    }

    /**
     * Sessions per second that offer {@link #offeredRate()}: each arriving session sends its requests whatever the
     * response times, so arrivals times requests per session is the offered rate once the ramp is over.
     */
    public double sessionsPerSecond() {
        return offeredRate() / meanRequestsPerSession();
    }

    public double sessionsPerSecond(UserType type) {
        return sessionsPerSecond() * type.weight() / totalUserTypeWeight();
    }

    private static Map<Service, ServiceSettings> inEnumOrder(Map<Service, ServiceSettings> services) {
        Map<Service, ServiceSettings> ordered = new EnumMap<>(Service.class);
        ordered.putAll(services);
        return Collections.unmodifiableMap(ordered);
    }
}
