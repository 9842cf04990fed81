package io.chanalytics.crud.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.api.testing.EmbeddedPostgresDatabase;
import io.chanalytics.metrics.publish.EventPublisher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The documented switch {@code chanalytics.events.enabled=false}: the service starts and serves without any publisher
 * (no Kafka needed), and a business event (a user registered) is simply not published.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"chanalytics.events.enabled=false", "chanalytics.auth.enabled=false"})
@AutoConfigureWebTestClient
class EventsDisabledIntegrationTests {

    @Autowired
    private WebTestClient client;

    @Autowired
    private ApplicationContext context;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabase.register(registry);
    }

    @Test
    void theServiceRunsWithoutAPublisher() {
        assertThat(context.getBeanNamesForType(EventPublisher.class)).isEmpty();

        client.post()
                .uri("/users")
                .bodyValue(Map.of(
                        "name", "Quiet", "email", "quiet-" + System.nanoTime() + "@example.com", "region", "eu-west"))
                .exchange()
                .expectStatus()
                .isCreated();
        client.get().uri("/products").exchange().expectStatus().isOk();
    }
}
