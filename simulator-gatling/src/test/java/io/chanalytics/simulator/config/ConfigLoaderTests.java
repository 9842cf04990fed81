package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chanalytics.simulator.endpoints.GenericOperation;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Route;
import io.chanalytics.simulator.endpoints.Service;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTests {

    private static final String SHIPPED = shipped();

    @Test
    void shippedDefaultPassesEveryCheckAndExercisesEveryEndpointOfBothApis() {
        SimulatorConfig config = ConfigLoader.load(ConfigOverrides.none());

        assertThat(config.source()).isEqualTo("classpath:config.yaml");
        Set<Route> exercised = config.endpoints().entrySet().stream()
                .flatMap(service -> service.getValue().endpoints().stream()
                        .flatMap(endpoint -> endpoint.operations(service.getKey()).stream()))
                .collect(Collectors.toSet());
        assertThat(exercised).containsExactlyInAnyOrder(Operation.values());
        assertThat(config.endpoints()).containsOnlyKeys(Service.values());
        assertThat(config.warnings()).isEmpty();
    }

    /**
     * Each documented override must act exactly like editing its one key in the file: the override is compared with a
     * copy of the shipped file edited at that key. Half the rate and twice the workers keep the Little's-law check
     * satisfied.
     */
    @ParameterizedTest
    @CsvSource({
        "workers, workers: 200, 400",
        "requests_per_second, requests_per_second: 50, 25.0",
        "duration_minutes, duration_minutes: 5, 6.5",
        "ramp_seconds, ramp_seconds: 30, 31.5",
        "crud_api.base_url, base_url: http://localhost:8001, http://elsewhere.test:9001",
        "ecommerce_api.base_url, base_url: http://localhost:8002, http://elsewhere.test:9002"
    })
    void eachOverrideReplacesExactlyItsKey(String name, String inFile, String replacement) {
        String key = inFile.substring(0, inFile.indexOf(':'));
        String edited = replaceOnce(SHIPPED, inFile, key + ": " + replacement);

        SimulatorConfig overridden = ConfigLoader.parse(
                SHIPPED, "test", new ConfigOverrides(Map.of("simulator." + name, replacement), Map.of()));

        assertThat(overridden).isEqualTo(parse(edited));
        assertThat(overridden).isNotEqualTo(parse(SHIPPED));
    }

    /** Spring Boot's relaxed names, as for any Boot property: kebab-case and camelCase keys bind too. */
    @Test
    void keysAndOverridesBindByRelaxedNames() {
        String yaml = replaceOnce(SHIPPED, "  requests_per_second: 50", "  requests-per-second: 40");
        ConfigOverrides overrides =
                new ConfigOverrides(Map.of("simulator.rampSeconds", "3"), Map.of("SIMULATOR_DURATION_MINUTES", "2"));

        SimulationSettings simulation =
                ConfigLoader.parse(yaml, "test", overrides).simulation();

        assertThat(simulation.requestsPerSecond()).isEqualTo(40);
        assertThat(simulation.rampSeconds()).isEqualTo(3);
        assertThat(simulation.durationMinutes()).isEqualTo(2);
    }

    @Test
    void offeredRateIsSessionsPerSecondTimesRequestsPerSession() {
        SimulatorConfig config = parse(SHIPPED);

        double offered = config.userTypes().stream()
                .mapToDouble(type -> config.sessionsPerSecond(type) * type.meanRequestsPerSession())
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
        assertThat(config.service(Service.CRUD_API).urlPrefix()).isEqualTo("http://crud:9001");
        assertThat(config.service(Service.ECOMMERCE_API).urlPrefix()).isEqualTo("http://shop:9002");
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
    void getAndDeleteOnAPathTheSimulatorDoesNotKnowRunAsGenericOperations() {
        String yaml = replaceOnce(
                SHIPPED,
                "- path: /users/{id}\n        methods: [GET]",
                "- path: /users/{user_id}/orders\n        methods: [GET, delete]");

        SimulatorConfig config = parse(yaml);

        EndpointSettings custom = config.service(Service.CRUD_API).endpoints().get(2);
        assertThat(custom.operations(Service.CRUD_API))
                .containsExactly(
                        new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/users/{user_id}/orders"),
                        new GenericOperation(Service.CRUD_API, HttpMethod.DELETE, "/users/{user_id}/orders"));
        assertThat(custom.operations(Service.CRUD_API))
                .extracting(Route::displayName)
                .containsExactly("GET /users/{user_id}/orders", "DELETE /users/{user_id}/orders");
    }

    @Test
    void aRequestWithABodyOnAnUnknownPathIsRefused() {
        String yaml = replaceOnce(SHIPPED, "- path: /demo/generate-users", "- path: /demo/generate-orders");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessageStartingWith("endpoints.crud_api.endpoints[7].methods[0]: unknown endpoint"
                        + " '/demo/generate-orders' for POST: on a path the simulator does not know only GET and"
                        + " DELETE run (a request body needs code in endpoints/); known for crud_api: /users,"
                        + " /users/{id}, /products");
    }

    @Test
    void anUnknownPathMustBeATemplate() {
        String yaml = replaceOnce(SHIPPED, "- path: /users/{id}", "- path: users/{id");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessageStartingWith("endpoints.crud_api.endpoints[2].path: 'users/{id' is not a path template");
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

        assertThatThrownBy(() -> parse(yaml)).hasMessage("simulation.request_per_second: unknown key");
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
    void tooFewWorkersForTheTargetRateLowerTheRateWithAWarning() {
        SimulatorConfig config = parse(replaceOnce(SHIPPED, "workers: 200", "workers: 20"));

        assertThat(config.expectedConcurrentSessions()).isCloseTo(87.03, within(0.01));
        assertThat(config.offeredRate()).isCloseTo(50 * 20 / config.expectedConcurrentSessions(), within(1e-9));
        assertThat(config.warnings())
                .containsExactly("simulation.workers: 20 workers cannot sustain 50 requests/s with these user types"
                        + " (about 88 sessions would be open at once); the run offers about 11.5 requests/s instead."
                        + " Raise simulation.workers to 88 to reach the target");
    }

    @Test
    void aWarningNamesTheOverrideThatCausedIt() {
        SimulatorConfig config =
                ConfigLoader.parse(SHIPPED, "test", new ConfigOverrides(Map.of(), Map.of("SIMULATOR_WORKERS", "20")));

        assertThat(config.warnings())
                .singleElement(InstanceOfAssertFactories.STRING)
                .startsWith("simulation.workers (from environment variable SIMULATOR_WORKERS): 20 workers cannot");
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
                .hasMessage("assertions.max_error_percent: must be a percentage between 0 and 100, found 150");
    }

    @Test
    void overriddenValueThatBreaksAConstraintNamesWhereItCameFrom() {
        ConfigOverrides overrides = new ConfigOverrides(Map.of(), Map.of("SIMULATOR_WORKERS", "0"));

        assertThatThrownBy(() -> ConfigLoader.parse(SHIPPED, "test", overrides))
                .hasMessage(
                        "simulation.workers (from environment variable SIMULATOR_WORKERS): must be positive, found 0");
    }

    @Test
    void unknownService() {
        String yaml = replaceOnce(SHIPPED, "  ecommerce_api:", "  shop_api:");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints: unknown service 'shop_api' (known: crud_api, ecommerce_api)");
    }

    @Test
    void missingKey() {
        String yaml = replaceOnce(SHIPPED, "  workers: 200", "");

        assertThatThrownBy(() -> parse(yaml)).hasMessage("simulation.workers: is missing");
    }

    @Test
    void requestsPerSessionMustBeWholeNumbers() {
        String yaml = replaceOnce(SHIPPED, "requests_per_session: [3, 8]", "requests_per_session: [3, 8.5]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("user_types[2].requests_per_session[1]: must be a whole number, found 8.5");
    }

    @Test
    void rangeMustBeAPair() {
        String yaml = replaceOnce(SHIPPED, "think_time_seconds: [1, 3]", "think_time_seconds: [1, 2, 3]");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("user_types[3].think_time_seconds: must be a pair [min, max], found [1.0, 2.0, 3.0]");
    }

    @Test
    void userTypeDefinedTwice() {
        String yaml = replaceOnce(SHIPPED, "- name: admin", "- name: power");

        assertThatThrownBy(() -> parse(yaml)).hasMessage("user_types[3].name: user type 'power' is defined twice");
    }

    @Test
    void keyWrittenTwice() {
        String yaml = replaceOnce(SHIPPED, "  ramp_seconds: 30", "  ramp_seconds: 30\n  workers: 300");

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("(document): is not valid YAML: ")
                .hasMessageContaining("duplicate key workers");
    }

    @Test
    void sourceIsNotAKeyOfTheFile() {
        assertThatThrownBy(() -> parse("source: elsewhere\n" + SHIPPED)).hasMessage("source: unknown key");
        assertThatThrownBy(() -> parse("warnings: []\n" + SHIPPED)).hasMessage("warnings: unknown key");
    }

    @Test
    void methodsAreCaseInsensitiveAndLeftOutUserTypesMeanEveryone() {
        SimulatorConfig config = parse(replaceOnce(
                SHIPPED, "- path: /checkout\n        methods: [POST]", "- path: /checkout\n        methods: [post]"));

        EndpointSettings products = config.service(Service.CRUD_API).endpoints().get(3);
        assertThat(products.userTypes()).isNull();
        assertThat(config.userTypes())
                .allSatisfy(type -> assertThat(products.allows(type.name())).isTrue());
        assertThat(config.service(Service.ECOMMERCE_API).endpoints().get(3).operations(Service.ECOMMERCE_API))
                .containsExactly(Operation.CHECKOUT);
    }

    @Test
    void everyViolationIsReportedWithItsKey() {
        String yaml = replaceOnce(replaceOnce(SHIPPED, "workers: 200", "workers: -1"), "weight: 60", "weight: 0");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("simulation.workers: must be positive, found -1;"
                        + " user_types[0].weight: must be positive, found 0");
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
