package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.GenericOperation;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rules that relate keys to each other or to what the simulator can send, which no constraint on a single value
 * can express: the only hand-written checks, run once binding and Bean Validation have passed (so nothing here is null
 * and every pair has two elements), except {@link #serviceNames}, which runs before binding. A mistake stops the run; a
 * value the run cannot honour exactly (too few workers for the rate) becomes a warning, so a config written for the
 * original simulator still runs.
 */
final class CrossReferences {

    private final SimulatorConfig config;
    private final KeyLabels labels;

    private CrossReferences(SimulatorConfig config, KeyLabels labels) {
        this.config = config;
        this.labels = labels;
    }

    /**
     * The name the file gives each service it defines, from its flattened keys. Either name of a service will do
     * ({@code crud_service} in the original simulator's config), but not both: binding would silently keep one.
     */
    static Map<Service, String> serviceNames(Collection<String> fileKeys) {
        Map<Service, String> names = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            List<String> written = service.keys().stream()
                    .filter(name -> fileKeys.stream().anyMatch(key -> key.startsWith("endpoints." + name + ".")))
                    .toList();
            if (written.size() > 1) {
                throw new ConfigException(
                        "endpoints." + written.get(1),
                        "names the same service as endpoints." + written.get(0) + "; keep one of them");
            }
            written.stream().findFirst().ifPresent(name -> names.put(service, name));
        }
        return names;
    }

    /** Throws a {@link ConfigException} for the first mistake; returns the warnings, each starting with its key. */
    static List<String> check(SimulatorConfig config, KeyLabels labels) {
        return new CrossReferences(config, labels).check();
    }

    private List<String> check() {
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
            throw mistake(
                    "endpoints." + Service.CRUD_API.key(),
                    "is missing: the simulator reads real users and products from the CRUD API");
        }
        checkEveryUserTypeIsServed();
        List<String> warnings = new ArrayList<>();
        checkWorkers(warnings);
        return List.copyOf(warnings);
    }

    private ConfigException mistake(String key, String problem) {
        return new ConfigException(labels.label(key), problem);
    }

    private void checkUserTypes(List<UserType> userTypes) {
        Set<String> names = new HashSet<>();
        for (int index = 0; index < userTypes.size(); index++) {
            UserType type = userTypes.get(index);
            String key = "user_types[" + index + "]";
            if (!names.add(type.name())) {
                throw mistake(key + ".name", "user type '" + type.name() + "' is defined twice");
            }
            checkOrder(key + ".requests_per_session", type.requestsPerSession());
            checkOrder(key + ".think_time_seconds", type.thinkTimeSeconds());
        }
    }

    private void checkOrder(String key, List<? extends Number> pair) {
        Number min = pair.getFirst();
        Number max = pair.getLast();
        if (min.doubleValue() > max.doubleValue()) {
            throw mistake(
                    key, "min " + ConfigException.format(min) + " is greater than max " + ConfigException.format(max));
        }
    }

    private void checkEndpoint(String key, Service service, EndpointSettings endpoint, List<String> typeNames) {
        String path = endpoint.path();
        List<Operation> onPath = Operation.forPath(path);
        if (onPath.isEmpty()) {
            checkGenericPath(key, service, endpoint);
        } else {
            Service owner = onPath.getFirst().service();
            if (owner != service) {
                throw mistake(key + ".path", "'" + path + "' belongs to " + owner.key() + ", not " + service.key());
            }
        }
        Set<HttpMethod> seen = EnumSet.noneOf(HttpMethod.class);
        for (int index = 0; index < endpoint.methods().size(); index++) {
            HttpMethod method = endpoint.methods().get(index);
            if (!onPath.isEmpty() && Operation.find(method, path).isEmpty()) {
                throw mistake(
                        key + ".methods[" + index + "]",
                        "method " + method + " is not supported on " + path + " (supported: "
                                + onPath.stream()
                                        .map(operation -> operation.method().name())
                                        .collect(Collectors.joining(", "))
                                + ")");
            }
            if (!seen.add(method)) {
                throw mistake(key + ".methods[" + index + "]", "method " + method + " is listed twice");
            }
        }
        List<String> allowed = endpoint.userTypes() == null ? List.of() : endpoint.userTypes();
        for (int index = 0; index < allowed.size(); index++) {
            if (!typeNames.contains(allowed.get(index))) {
                throw mistake(
                        key + ".user_types[" + index + "]",
                        "unknown user type '" + allowed.get(index) + "' (defined: " + String.join(", ", typeNames)
                                + ")");
            }
        }
    }

    /**
     * A path the simulator has no Java for runs as a {@link GenericOperation}, which can only send requests without a
     * body: a POST or PUT there is refused, naming the paths whose bodies the simulator knows.
     */
    private void checkGenericPath(String key, Service service, EndpointSettings endpoint) {
        String path = endpoint.path();
        if (!GenericOperation.isValidTemplate(path)) {
            throw mistake(
                    key + ".path",
                    "'" + path + "' is not a path template: it must start with '/', have no spaces, and use braces"
                            + " only around placeholder names such as {id}");
        }
        for (int index = 0; index < endpoint.methods().size(); index++) {
            HttpMethod method = endpoint.methods().get(index);
            if (!GenericOperation.METHODS.contains(method)) {
                throw mistake(
                        key + ".methods[" + index + "]",
                        "unknown endpoint '" + path + "' for " + method + ": on a path the simulator does not know"
                                + " only GET and DELETE run (a request body needs code in endpoints/); known for "
                                + service.key() + ": " + String.join(", ", Operation.knownPaths(service)));
            }
        }
    }

    /** A user type no endpoint allows would have sessions with nothing to send. */
    private void checkEveryUserTypeIsServed() {
        for (int index = 0; index < config.userTypes().size(); index++) {
            String name = config.userTypes().get(index).name();
            boolean served = config.services().stream()
                    .flatMap(service -> service.endpoints().stream())
                    .anyMatch(endpoint -> endpoint.allows(name));
            if (!served) {
                throw mistake("user_types[" + index + "]", "no endpoint allows user type '" + name + "'");
            }
        }
    }

    /**
     * Little's law: arrivals per second times the mean session length is the number of sessions open at once. When
     * that exceeds the workers, the run offers what the workers can sustain ({@link SimulatorConfig#offeredRate()}),
     * as the original simulator's fixed pool of workers did, and says so.
     */
    private void checkWorkers(List<String> warnings) {
        double needed = config.expectedConcurrentSessions();
        int workers = config.simulation().workers();
        if (needed > workers) {
            warnings.add(labels.label("simulation.workers") + ": "
                    + String.format(
                            Locale.ROOT,
                            "%d workers cannot sustain %s requests/s with these user types (about %.0f sessions would"
                                    + " be open at once); the run offers about %.1f requests/s instead. Raise"
                                    + " simulation.workers to %.0f to reach the target",
                            workers,
                            ConfigException.format(config.simulation().requestsPerSecond()),
                            Math.ceil(needed),
                            config.offeredRate(),
                            Math.ceil(needed)));
        }
    }
}
