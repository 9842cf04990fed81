package io.chanalytics.ecommerce;

import io.chanalytics.api.testing.ApiIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The one application context every e-commerce integration test shares: the real service on a random port
 * against a real PostgreSQL, a real Kafka broker and the in-process schema registry (all set up by
 * {@link ApiIntegrationTest}), with the CRUD API's own catalog migrations applied first, as in a deployment.
 * Each test shops as its own user, so no cleanup is needed.
 */
public abstract class EcommerceIntegrationTest extends ApiIntegrationTest {

    /** This test's shopper; every request helper below sends it. */
    protected final String userId = "u-" + UUID.randomUUID();

    /** Runs with the base class's property sources, before the context (and the service's own Flyway) starts. */
    @DynamicPropertySource
    static void catalog(DynamicPropertyRegistry registry) {
        CatalogFixture.migrate();
    }

    protected WebTestClient.ResponseSpec addToCart(String user, long productId, int quantity) {
        return client.post()
                .uri("/cart")
                .header("X-User-Id", user)
                .bodyValue(Map.of("productId", productId, "quantity", quantity))
                .exchange();
    }

    protected WebTestClient.ResponseSpec checkout(String user) {
        return client.post().uri("/checkout").header("X-User-Id", user).exchange();
    }
}
