package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.simulator.endpoints.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTests {

    private static final String SHIPPED = shipped();

    @Test
    void shippedDefaultParsesAndExercisesEveryEndpointOfBothApis() {
        SimulatorConfig config = ConfigLoader.load(ConfigOverrides.none());

        assertThat(config.source()).isEqualTo("classpath:config.yaml");
        assertThat(config.simulation()).isEqualTo(new SimulationSettings(200, 50, 5, 30));
        assertThat(config.userTypes())
                .extracting(UserType::name)
                .containsExactly("normal", "power", "newcomer", "admin");
        assertThat(config.userTypes().getFirst())
                .isEqualTo(new UserType("normal", 60, new Range(5, 15), new Range(1, 4)));
        assertThat(config.services()).extracting(ServiceSettings::name).containsExactly("crud_api", "ecommerce_api");
        assertThat(config.service("crud_api").urlPrefix()).isEqualTo("http://localhost:8001");
        Set<Operation> exercised = config.services().stream()
                .flatMap(service -> service.endpoints().stream())
                .flatMap(endpoint -> endpoint.operations().stream())
                .collect(Collectors.toSet());
        assertThat(exercised).containsExactlyInAnyOrder(Operation.values());
        assertThat(config.assertions()).isEqualTo(new AssertionSettings(1.0, 1000, 2000));
        assertThat(config.expectedConcurrentSessions())
                .isLessThan(config.simulation().workers());
    }

    @Test
    void offeredRateIsSessionsPerSecondTimesRequestsPerSession() {
        SimulatorConfig config = parse(SHIPPED);

        double offered = config.userTypes().stream()
                .mapToDouble(type -> config.sessionsPerSecond(type)
                        * type.requestsPerSession().mean())
                .sum();

        assertThat(offered).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void systemPropertiesWinOverEnvironmentWhichWinsOverTheFile() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.requests_per_second", "12.5", "simulator.crud_api.base_url", "http://crud:9001/"),
                Map.of(
                        "SIMULATOR_REQUESTS_PER_SECOND", "99",
                        "SIMULATOR_DURATION_MINUTES", "0",
                        "SIMULATOR_ECOMMERCE_API_BASE_URL", "http://shop:9002",
                        "SIMULATOR_RAMP_SECONDS", "2"));

        SimulatorConfig config = ConfigLoader.parse(SHIPPED, "test", overrides);

        assertThat(config.simulation().requestsPerSecond()).isEqualTo(12.5);
        assertThat(config.simulation().runsUntilStopped()).isTrue();
        assertThat(config.simulation().rampSeconds()).isEqualTo(2);
        assertThat(config.service("crud_api").urlPrefix()).isEqualTo("http://crud:9001");
        assertThat(config.service("ecommerce_api").urlPrefix()).isEqualTo("http://shop:9002");
    }

    @Test
    void configPathOverrideReadsAnotherFile(@TempDir Path directory) throws IOException {
        Path other = directory.resolve("other.yaml");
        Files.writeString(other, SHIPPED.replace("requests_per_second: 50", "requests_per_second: 7"));

        SimulatorConfig config =
                ConfigLoader.load(new ConfigOverrides(Map.of(), Map.of("SIMULATOR_CONFIG", other.toString())));

        assertThat(config.source()).isEqualTo(other.toString());
        assertThat(config.simulation().requestsPerSecond()).isEqualTo(7);
    }

    @Test
    void missingConfigFileNamesTheOverride() {
        assertThatThrownBy(() -> ConfigLoader.load(
                        new ConfigOverrides(Map.of("simulator.config", "/nowhere/config.yaml"), Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config: file /nowhere/config.yaml (from system property simulator.config)");
    }

    @Test
    void badOverrideValueNamesTheKeyAndWhereItCameFrom() {
        ConfigOverrides overrides = new ConfigOverrides(Map.of(), Map.of("SIMULATOR_REQUESTS_PER_SECOND", "fast"));

        assertThatThrownBy(() -> ConfigLoader.parse(SHIPPED, "test", overrides))
                .hasMessage("simulation.requests_per_second (from environment variable SIMULATOR_REQUESTS_PER_SECOND):"
                        + " 'fast' is not a number");
    }

    @Test
    void unknownUserTypeInAnEndpoint() {
        String yaml = replaceOnce(SHIPPED, "user_types: [newcomer]", "user_types: [newcomer, guest]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.crud_api.endpoints[1].user_types[1]: unknown user type 'guest'"
                        + " (defined: normal, power, newcomer, admin)");
    }

    @Test
    void userTypeWeightMustBePositive() {
        String yaml = replaceOnce(SHIPPED, "weight: 60", "weight: 0");

        assertThatThrownBy(() -> parse(yaml)).hasMessage("user_types[0].weight: must be positive, found 0");
    }

    @Test
    void endpointWeightMustBePositive() {
        String yaml = replaceOnce(SHIPPED, "weight: 20", "weight: -3");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.crud_api.endpoints[3].weight: must be positive, found -3");
    }

    @Test
    void requestsPerSessionMinGreaterThanMax() {
        String yaml = replaceOnce(SHIPPED, "requests_per_session: [15, 40]", "requests_per_session: [40, 15]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("user_types[1].requests_per_session: min 40 is greater than max 15");
    }

    @Test
    void thinkTimeMinGreaterThanMax() {
        String yaml = replaceOnce(SHIPPED, "think_time_seconds: [2, 5]", "think_time_seconds: [5, 2.5]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("user_types[2].think_time_seconds: min 5 is greater than max 2.5");
    }

    @Test
    void unknownHttpMethod() {
        String yaml = replaceOnce(
                SHIPPED,
                "methods: [PUT, DELETE]\n        weight: 5\n        user_types: [admin]",
                "methods: [PUT, FETCH]\n        weight: 5\n        user_types: [admin]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.crud_api.endpoints[6].methods[1]: unknown HTTP method 'FETCH'");
    }

    @Test
    void methodThePathDoesNotSupport() {
        String yaml = replaceOnce(
                SHIPPED, "- path: /checkout\n        methods: [POST]", "- path: /checkout\n        methods: [GET]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.ecommerce_api.endpoints[3].methods[0]: method GET is not supported on"
                        + " /checkout (supported: POST)");
    }

    @Test
    void unknownPath() {
        String yaml = replaceOnce(SHIPPED, "- path: /users/{id}", "- path: /users/{user_id}");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessageStartingWith("endpoints.crud_api.endpoints[2].path: unknown endpoint '/users/{user_id}'"
                        + " (known for crud_api: /users, /users/{id}, /products");
    }

    @Test
    void pathOfTheOtherService() {
        String yaml = replaceOnce(SHIPPED, "- path: /users/{id}", "- path: /cart");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.crud_api.endpoints[2].path: '/cart' belongs to ecommerce_api, not crud_api");
    }

    @Test
    void misspelledKey() {
        String yaml = replaceOnce(SHIPPED, "  requests_per_second: 50", "  request_per_second: 50");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("simulation.request_per_second: unknown key (known here: duration_minutes, ramp_seconds,"
                        + " requests_per_second, workers)");
    }

    @Test
    void invalidBaseUrl() {
        String yaml = replaceOnce(SHIPPED, "base_url: http://localhost:8002", "base_url: localhost:8002");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints.ecommerce_api.base_url: 'localhost:8002' is not an absolute http(s) URL");
    }

    @Test
    void userTypeThatNoEndpointAllows() {
        String yaml = """
                simulation: {workers: 10, requests_per_second: 1, duration_minutes: 1}
                user_types:
                  - {name: shopper, weight: 1, requests_per_session: [1, 2], think_time_seconds: [0, 1]}
                  - {name: auditor, weight: 1, requests_per_session: [1, 2], think_time_seconds: [0, 1]}
                endpoints:
                  crud_api:
                    base_url: http://localhost:8001
                    endpoints:
                      - {path: /products, methods: [GET], weight: 1, user_types: [shopper]}
                """;

        assertThatThrownBy(() -> parse(yaml)).hasMessage("user_types[1]: no endpoint allows user type 'auditor'");
    }

    @Test
    void crudApiIsRequiredForTheDemoData() {
        String yaml = """
                simulation: {workers: 10, requests_per_second: 1, duration_minutes: 1}
                user_types:
                  - {name: shopper, weight: 1, requests_per_session: [1, 2], think_time_seconds: [0, 1]}
                endpoints:
                  ecommerce_api:
                    base_url: http://localhost:8002
                    endpoints:
                      - {path: /cart, methods: [GET], weight: 1}
                """;

        assertThatThrownBy(() -> parse(yaml))
                .hasMessageStartingWith("endpoints.crud_api: is missing: the simulator reads real users and products");
    }

    @Test
    void tooFewWorkersForTheTargetRate() {
        String yaml = replaceOnce(SHIPPED, "workers: 200", "workers: 20");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessageStartingWith("simulation.workers: 20 workers cannot offer 50 requests/s")
                .hasMessageContaining("about 88 sessions are open at once");
    }

    @Test
    void negativeDuration() {
        String yaml = replaceOnce(SHIPPED, "duration_minutes: 5", "duration_minutes: -1");

        assertThatThrownBy(() -> parse(yaml)).hasMessage("simulation.duration_minutes: must not be negative, found -1");
    }

    @Test
    void errorPercentAboveOneHundred() {
        String yaml = replaceOnce(SHIPPED, "max_error_percent: 1", "max_error_percent: 150");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("assertions.max_error_percent: must be a percentage between 0 and 100, found 150.0");
    }

    @Test
    void malformedYaml() {
        assertThatThrownBy(() -> parse("simulation: [unclosed"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("(document): is not valid YAML");
    }

    private static SimulatorConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test", ConfigOverrides.none());
    }

    /** Replaces exactly one occurrence, so a changed default file breaks the test loudly instead of silently. */
    private static String replaceOnce(String text, String target, String replacement) {
        int first = text.indexOf(target);
        assertThat(first).as("'%s' in config.yaml", target).isNotNegative();
        assertThat(text.indexOf(target, first + 1)).as("'%s' only once", target).isNegative();
        return text.substring(0, first) + replacement + text.substring(first + target.length());
    }

    private static String shipped() {
        try (InputStream resource = ConfigLoaderTests.class.getClassLoader().getResourceAsStream("config.yaml")) {
            return new String(resource.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
