package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Operation.Service;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code config.yaml} into a {@link SimulatorConfig}, applying {@link ConfigOverrides} and checking every rule
 * before any load is sent. Without a {@code config} override the copy of {@code simulator-gatling/config.yaml}
 * packaged on the classpath is used.
 */
public final class ConfigLoader {

    static final String DEFAULT_RESOURCE = "config.yaml";
    static final List<String> DEFAULT_REGIONS =
            List.of("us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast", "sa-east");
    static final double DEFAULT_RAMP_SECONDS = 10;

    private ConfigLoader() {}

    public static SimulatorConfig load(ConfigOverrides overrides) {
        Optional<ConfigOverrides.Override> path = overrides.find("config");
        if (path.isPresent()) {
            Path file = Path.of(path.get().value());
            if (!Files.isReadable(file)) {
                throw new ConfigException(
                        "config",
                        "file " + file.toAbsolutePath() + " (from " + path.get().source() + ") is not readable");
            }
            try {
                return parse(Files.readString(file), file.toString(), overrides);
            } catch (IOException unreadable) {
                throw new UncheckedIOException(unreadable);
            }
        }
        try (InputStream resource = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (resource == null) {
                throw new ConfigException("config", "no " + DEFAULT_RESOURCE + " on the classpath and no override");
            }
            return parse(
                    new String(resource.readAllBytes(), StandardCharsets.UTF_8), "classpath:config.yaml", overrides);
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    public static SimulatorConfig parse(String yaml, String source, ConfigOverrides overrides) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException malformed) {
            throw new ConfigException("(document)", "is not valid YAML: " + malformed.getMessage());
        }
        YamlNode root = new YamlNode("", document);
        if (document == null) {
            throw new ConfigException("(document)", "is empty");
        }
        root.onlyKeys("simulation", "regions", "user_types", "endpoints", "assertions");

        SimulationSettings simulation = simulation(root.child("simulation"), overrides);
        List<String> regions = regions(root.child("regions"));
        List<UserType> userTypes = userTypes(root.child("user_types"));
        List<ServiceSettings> services = services(root.child("endpoints"), userTypes, overrides);
        AssertionSettings assertions = assertions(root.child("assertions"));

        for (int index = 0; index < userTypes.size(); index++) {
            String name = userTypes.get(index).name();
            boolean reachable = services.stream()
                    .flatMap(service -> service.endpoints().stream())
                    .anyMatch(endpoint -> endpoint.allows(name));
            if (!reachable) {
                throw new ConfigException("user_types[" + index + "]", "no endpoint allows user type '" + name + "'");
            }
        }
        SimulatorConfig config = new SimulatorConfig(source, simulation, regions, userTypes, services, assertions);
        checkWorkers(config);
        return config;
    }

    private static SimulationSettings simulation(YamlNode node, ConfigOverrides overrides) {
        node.onlyKeys("workers", "requests_per_second", "duration_minutes", "ramp_seconds");
        YamlNode workers = overridden(node.child("workers"), "workers", overrides);
        YamlNode rps = overridden(node.child("requests_per_second"), "requests_per_second", overrides);
        YamlNode duration = overridden(node.child("duration_minutes"), "duration_minutes", overrides);
        YamlNode ramp = overridden(node.child("ramp_seconds"), "ramp_seconds", overrides);
        int workerCount = workers.asInt();
        if (workerCount <= 0) {
            throw new ConfigException(workers.key(), "must be positive, found " + workerCount);
        }
        return new SimulationSettings(
                workerCount,
                rps.asPositive(),
                duration.asNonNegative(),
                ramp.isMissing() ? DEFAULT_RAMP_SECONDS : ramp.asNonNegative());
    }

    private static YamlNode overridden(YamlNode node, String name, ConfigOverrides overrides) {
        return overrides
                .find(name)
                .map(found -> new YamlNode(node.key() + " (from " + found.source() + ")", found.value()))
                .orElse(node);
    }

    private static List<String> regions(YamlNode node) {
        if (node.isMissing()) {
            return DEFAULT_REGIONS;
        }
        List<String> regions =
                node.asList().stream().map(YamlNode::asText).distinct().toList();
        if (regions.isEmpty()) {
            throw new ConfigException(node.key(), "must list at least one region");
        }
        return regions;
    }

    private static List<UserType> userTypes(YamlNode node) {
        List<YamlNode> entries = node.asList();
        if (entries.isEmpty()) {
            throw new ConfigException(node.key(), "must define at least one user type");
        }
        List<UserType> types = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode entry : entries) {
            entry.onlyKeys("name", "weight", "requests_per_session", "think_time_seconds");
            String name = entry.child("name").asText();
            if (!names.add(name)) {
                throw new ConfigException(entry.child("name").key(), "user type '" + name + "' is defined twice");
            }
            types.add(new UserType(
                    name,
                    entry.child("weight").asPositive(),
                    wholeRange(entry.child("requests_per_session"), 1),
                    entry.child("think_time_seconds").asRange(0)));
        }
        return List.copyOf(types);
    }

    private static Range wholeRange(YamlNode node, double lowest) {
        Range range = node.asRange(lowest);
        if (range.min() != Math.rint(range.min()) || range.max() != Math.rint(range.max())) {
            throw new ConfigException(node.key(), "must be whole numbers, found " + node.value());
        }
        return range;
    }

    private static List<ServiceSettings> services(YamlNode node, List<UserType> userTypes, ConfigOverrides overrides) {
        List<String> typeNames = userTypes.stream().map(UserType::name).toList();
        Map<String, YamlNode> entries = node.entries();
        if (entries.isEmpty()) {
            throw new ConfigException(node.key(), "must define at least one service");
        }
        List<ServiceSettings> services = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : entries.entrySet()) {
            YamlNode serviceNode = entry.getValue();
            Service service = Service.byKey(entry.getKey())
                    .orElseThrow(() -> new ConfigException(
                            serviceNode.key(),
                            "unknown service (known: "
                                    + String.join(
                                            ", ",
                                            List.of(Service.values()).stream()
                                                    .map(Service::key)
                                                    .toList())
                                    + ")"));
            serviceNode.onlyKeys("base_url", "endpoints");
            YamlNode baseUrlNode = overridden(serviceNode.child("base_url"), service.key() + ".base_url", overrides);
            URI baseUrl = baseUrl(baseUrlNode);
            List<EndpointSettings> endpoints = new ArrayList<>();
            YamlNode endpointsNode = serviceNode.child("endpoints");
            for (YamlNode endpointNode : endpointsNode.asList()) {
                endpoints.add(endpoint(endpointNode, service, typeNames));
            }
            if (endpoints.isEmpty()) {
                throw new ConfigException(endpointsNode.key(), "must list at least one endpoint");
            }
            services.add(new ServiceSettings(service.key(), baseUrl, List.copyOf(endpoints)));
        }
        if (services.stream().noneMatch(service -> service.name().equals(Service.CRUD_API.key()))) {
            throw new ConfigException(
                    node.key() + "." + Service.CRUD_API.key(),
                    "is missing: the simulator reads real users and products from the CRUD API");
        }
        return List.copyOf(services);
    }

    private static URI baseUrl(YamlNode node) {
        String text = node.asText();
        try {
            URI uri = new URI(text);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(node.key(), "'" + text + "' is not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException malformed) {
            throw new ConfigException(node.key(), "'" + text + "' is not a URL: " + malformed.getReason());
        }
    }

    private static EndpointSettings endpoint(YamlNode node, Service service, List<String> typeNames) {
        node.onlyKeys("path", "methods", "weight", "user_types");
        YamlNode pathNode = node.child("path");
        String path = pathNode.asText();
        List<Operation> onPath = Operation.forPath(path);
        if (onPath.isEmpty()) {
            throw new ConfigException(
                    pathNode.key(),
                    "unknown endpoint '" + path + "' (known for " + service.key() + ": "
                            + String.join(", ", Operation.knownPaths(service)) + ")");
        }
        if (onPath.getFirst().service() != service) {
            throw new ConfigException(
                    pathNode.key(),
                    "'" + path + "' belongs to " + onPath.getFirst().service().key() + ", not " + service.key());
        }
        List<Operation> operations = new ArrayList<>();
        for (YamlNode methodNode : node.child("methods").asList()) {
            String method = methodNode.asText().toUpperCase(Locale.ROOT);
            if (!Operation.HTTP_METHODS.contains(method)) {
                throw new ConfigException(methodNode.key(), "unknown HTTP method '" + methodNode.asText() + "'");
            }
            Operation operation = Operation.find(method, path)
                    .orElseThrow(() -> new ConfigException(
                            methodNode.key(),
                            "method " + method + " is not supported on " + path + " (supported: "
                                    + String.join(
                                            ", ",
                                            onPath.stream()
                                                    .map(Operation::method)
                                                    .toList())
                                    + ")"));
            if (operations.contains(operation)) {
                throw new ConfigException(methodNode.key(), "method " + method + " is listed twice");
            }
            operations.add(operation);
        }
        if (operations.isEmpty()) {
            throw new ConfigException(node.child("methods").key(), "must list at least one method");
        }
        double weight = node.child("weight").asPositive();
        List<String> allowed = typeNames;
        YamlNode typesNode = node.child("user_types");
        if (!typesNode.isMissing()) {
            allowed = new ArrayList<>();
            for (YamlNode typeNode : typesNode.asList()) {
                String type = typeNode.asText();
                if (!typeNames.contains(type)) {
                    throw new ConfigException(
                            typeNode.key(),
                            "unknown user type '" + type + "' (defined: " + String.join(", ", typeNames) + ")");
                }
                allowed.add(type);
            }
            if (allowed.isEmpty()) {
                throw new ConfigException(typesNode.key(), "must list at least one user type (or be left out)");
            }
        }
        return new EndpointSettings(path, List.copyOf(operations), weight, List.copyOf(allowed));
    }

    private static AssertionSettings assertions(YamlNode node) {
        if (node.isMissing()) {
            return AssertionSettings.none();
        }
        node.onlyKeys("max_error_percent", "p95_response_time_ms", "p99_response_time_ms");
        Double errors = null;
        YamlNode errorsNode = node.child("max_error_percent");
        if (!errorsNode.isMissing()) {
            errors = errorsNode.asNonNegative();
            if (errors > 100) {
                throw new ConfigException(errorsNode.key(), "must be a percentage between 0 and 100, found " + errors);
            }
        }
        return new AssertionSettings(
                errors,
                positiveMillis(node.child("p95_response_time_ms")),
                positiveMillis(node.child("p99_response_time_ms")));
    }

    private static Integer positiveMillis(YamlNode node) {
        if (node.isMissing()) {
            return null;
        }
        int millis = node.asInt();
        if (millis <= 0) {
            throw new ConfigException(node.key(), "must be positive, found " + millis);
        }
        return millis;
    }

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
                            YamlNode.format(config.simulation().requestsPerSecond()),
                            Math.ceil(needed)));
        }
    }
}
