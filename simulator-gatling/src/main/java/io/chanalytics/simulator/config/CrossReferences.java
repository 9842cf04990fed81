package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Service;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules that relate keys to each other or to what the simulator can send, which no constraint on a single value
 * can express: hand-written, run once binding and Bean Validation have passed (so nothing here is null).
 */
final class CrossReferences {

    private CrossReferences() {}

    static void check(SimulatorConfig config) {
        checkUserTypes(config.userTypes());
        List<String> typeNames = config.userTypes().stream().map(UserType::name).toList();
        for (Map.Entry<Service, ServiceSettings> service : config.endpoints().entrySet()) {
            List<EndpointSettings> endpoints = service.getValue().endpoints();
            for (int index = 0; index < endpoints.size(); index++) {
                String key = "endpoints." + service.getKey().key() + ".endpoints[" + index + "]";
                checkEndpoint(key, service.getKey(), endpoints.get(index), typeNames);
            }
        }
        if (!config.has(Service.CRUD_API)) {
            throw new ConfigException(
                    "endpoints." + Service.CRUD_API.key(),
                    "is missing: the simulator reads real users and products from the CRUD API");
        }
        checkEveryUserTypeIsServed(config);
        checkWorkers(config);
    }

    private static void checkUserTypes(List<UserType> userTypes) {
        Set<String> names = new HashSet<>();
        for (int index = 0; index < userTypes.size(); index++) {
            UserType type = userTypes.get(index);
            String key = "user_types[" + index + "]";
            if (!names.add(type.name())) {
                throw new ConfigException(key + ".name", "user type '" + type.name() + "' is defined twice");
            }
            checkOrder(
                    key + ".requests_per_session",
                    type.requestsPerSession().min(),
                    type.requestsPerSession().max());
            checkOrder(
                    key + ".think_time_seconds",
                    type.thinkTimeSeconds().min(),
                    type.thinkTimeSeconds().max());
        }
    }

    private static void checkOrder(String key, Number min, Number max) {
        if (min.doubleValue() > max.doubleValue()) {
            throw new ConfigException(
                    key, "min " + ConfigException.format(min) + " is greater than max " + ConfigException.format(max));
        }
    }

    private static void checkEndpoint(String key, Service service, EndpointSettings endpoint, List<String> typeNames) {
        String path = endpoint.path();
        List<Operation> onPath = Operation.forPath(path);
        if (onPath.isEmpty()) {
            throw new ConfigException(
                    key + ".path",
                    "unknown endpoint '" + path + "' (known for " + service.key() + ": "
                            + String.join(", ", Operation.knownPaths(service)) + ")");
        }
        Service owner = onPath.getFirst().service();
        if (owner != service) {
            throw new ConfigException(
                    key + ".path", "'" + path + "' belongs to " + owner.key() + ", not " + service.key());
        }
        Set<HttpMethod> seen = EnumSet.noneOf(HttpMethod.class);
        for (int index = 0; index < endpoint.methods().size(); index++) {
            HttpMethod method = endpoint.methods().get(index);
            if (Operation.find(method, path).isEmpty()) {
                throw new ConfigException(
                        key + ".methods[" + index + "]",
                        "method " + method + " is not supported on " + path + " (supported: "
                                + onPath.stream()
                                        .map(operation -> operation.method().name())
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
            if (!seen.add(method)) {
                throw new ConfigException(key + ".methods[" + index + "]", "method " + method + " is listed twice");
            }
        }
        List<String> allowed = endpoint.userTypes() == null ? List.of() : endpoint.userTypes();
        for (int index = 0; index < allowed.size(); index++) {
            if (!typeNames.contains(allowed.get(index))) {
                throw new ConfigException(
                        key + ".user_types[" + index + "]",
                        "unknown user type '" + allowed.get(index) + "' (defined: " + String.join(", ", typeNames)
                                + ")");
            }
        }
    }

    /** A user type no endpoint allows would have sessions with nothing to send. */
    private static void checkEveryUserTypeIsServed(SimulatorConfig config) {
        for (int index = 0; index < config.userTypes().size(); index++) {
            String name = config.userTypes().get(index).name();
            boolean served = config.services().stream()
                    .flatMap(service -> service.endpoints().stream())
                    .anyMatch(endpoint -> endpoint.allows(name));
            if (!served) {
                throw new ConfigException("user_types[" + index + "]", "no endpoint allows user type '" + name + "'");
            }
        }
    }

    /** Little's law: arrivals per second times the mean session length is the number of sessions open at once. */
    private static void checkWorkers(SimulatorConfig config) {
        double needed = config.expectedConcurrentSessions();
        int workers = config.simulation().workers();
        if (needed > workers) {
            throw new ConfigException(
                    "simulation.workers",
                    String.format(
                            Locale.ROOT,
                            "%d workers cannot offer %s requests/s: with these user types about %.0f sessions are open"
                                    + " at once; raise simulation.workers or lower simulation.requests_per_second",
                            workers,
                            ConfigException.format(config.simulation().requestsPerSecond()),
                            Math.ceil(needed)));
        }
    }
}
