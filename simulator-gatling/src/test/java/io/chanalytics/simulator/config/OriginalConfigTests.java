package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Service;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A config written for the original Python simulator ({@code original-config.yaml}) runs without edits. */
class OriginalConfigTests {

    private static final String ORIGINAL = resource("original-config.yaml");

    @Test
    void originalFileLoadsWithItsServiceNamesMappedToOurs() {
        SimulatorConfig config = parse(ORIGINAL);

        assertThat(config.endpoints()).containsOnlyKeys(Service.CRUD_API, Service.ECOMMERCE_API);
        assertThat(config.service(Service.CRUD_API).baseUrl()).isEqualTo("http://crud-api:8000");
        assertThat(config.service(Service.ECOMMERCE_API).baseUrl()).isEqualTo("http://ecommerce-api:8000");
        assertThat(config.service(Service.CRUD_API).endpoints().getFirst().operations(Service.CRUD_API))
                .containsExactly(Operation.LIST_USERS);
        assertThat(config.service(Service.ECOMMERCE_API).endpoints().getFirst().operations(Service.ECOMMERCE_API))
                .containsExactly(Operation.VIEW_CART, Operation.ADD_TO_CART);
        assertThat(config.userTypes()).extracting(UserType::name).containsExactly("normal_user", "power_user");
        assertThat(config.simulation().workers()).isEqualTo(5);
        assertThat(config.simulation().requestsPerSecond()).isEqualTo(50);
        assertThat(config.simulation().hold()).isEqualTo(Duration.ofMinutes(60));
    }

    /**
     * 5 workers, each session 9.1 requests long on average (70 % of 5.5, 30 % of 17.5) and lasting 15.64 s of think
     * time (70 % of 4.5 x 3 s, 30 % of 16.5 x 1.25 s): the workers sustain 5 x 9.1 / 15.64 = 2.9 requests/s, not 50.
     */
    @Test
    void tooFewWorkersStartTheRunAtTheRateTheySustainWithAWarning() {
        SimulatorConfig config = parse(ORIGINAL);

        double sustainable = 5 * 9.1 / (0.7 * 4.5 * 3 + 0.3 * 16.5 * 1.25);
        assertThat(config.offeredRate()).isCloseTo(sustainable, within(1e-9));
        assertThat(config.sessionsPerSecond() * config.meanRequestsPerSession()).isCloseTo(sustainable, within(1e-9));
        assertThat(config.warnings())
                .containsExactly("simulation.workers: 5 workers cannot sustain 50 requests/s with these user types"
                        + " (about 86 sessions would be open at once); the run offers about 2.9 requests/s instead."
                        + " Raise simulation.workers to 86 to reach the target");
    }

    @Test
    void enoughWorkersMeanNoWarningAndTheTargetRate() {
        SimulatorConfig config =
                ConfigLoader.parse(ORIGINAL, "test", new ConfigOverrides(Map.of("simulator.workers", "86"), Map.of()));

        assertThat(config.warnings()).isEmpty();
        assertThat(config.offeredRate()).isEqualTo(50);
    }

    @Test
    void baseUrlOverridesKeepOurNamesWhenTheFileUsesTheOriginalOnes() {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.ecommerce_api.base_url", "http://localhost:8002"),
                Map.of("SIMULATOR_CRUD_API_BASE_URL", "http://localhost:8001"));

        SimulatorConfig config = ConfigLoader.parse(ORIGINAL, "test", overrides);

        assertThat(config.service(Service.CRUD_API).baseUrl()).isEqualTo("http://localhost:8001");
        assertThat(config.service(Service.ECOMMERCE_API).baseUrl()).isEqualTo("http://localhost:8002");
    }

    @Test
    void messagesNameTheServiceAsTheFileWritesIt() {
        ConfigOverrides badUrl = new ConfigOverrides(Map.of(), Map.of("SIMULATOR_CRUD_API_BASE_URL", "crud-api"));
        String unknownType = replaceOnce(
                ORIGINAL,
                "methods: [\"POST\"]\n        weight: 5\n        user_types: [\"power_user\"]",
                "methods: [\"POST\"]\n        weight: 5\n        user_types: [\"admin_user\"]");

        assertThatThrownBy(() -> ConfigLoader.parse(ORIGINAL, "test", badUrl))
                .hasMessage("endpoints.crud_service.base_url (from environment variable SIMULATOR_CRUD_API_BASE_URL):"
                        + " 'crud-api' is not an absolute http(s) URL");
        assertThatThrownBy(() -> parse(unknownType))
                .hasMessage("endpoints.crud_service.endpoints[1].user_types[0]: unknown user type 'admin_user'"
                        + " (defined: normal_user, power_user)");
    }

    @Test
    void bothNamesOfOneServiceAreRefused() {
        String yaml = ORIGINAL + """
                  crud_api:
                    base_url: http://localhost:8001
                    endpoints:
                      - {path: /products, methods: [GET], weight: 1}
                """;

        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage("endpoints.crud_service: names the same service as endpoints.crud_api; keep one of them");
    }

    @Test
    void otherNamesAreStillUnknownServices() {
        String yaml = replaceOnce(ORIGINAL, "  ecommerce_service:", "  shop_service:");

        assertThatThrownBy(() -> parse(yaml))
                .hasMessage("endpoints: unknown service 'shop_service' (known: crud_api, ecommerce_api)");
    }

    private static SimulatorConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test", ConfigOverrides.none());
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int first = text.indexOf(target);
        assertThat(first).as("'%s' in original-config.yaml", target).isNotNegative();
        assertThat(text.indexOf(target, first + 1)).as("'%s' only once", target).isNegative();
        return text.substring(0, first) + replacement + text.substring(first + target.length());
    }

    private static String resource(String name) {
        try (InputStream resource = OriginalConfigTests.class.getClassLoader().getResourceAsStream(name)) {
            return new String(resource.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
