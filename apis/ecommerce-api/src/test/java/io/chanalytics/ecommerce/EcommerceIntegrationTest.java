package io.chanalytics.ecommerce;

import io.chanalytics.api.testing.EmbeddedPostgresDatabase;
import io.chanalytics.metrics.registry.SchemaRegistryServer;
import io.chanalytics.metrics.testing.KafkaEventReader;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The one application context every e-commerce integration test shares: the real service on a random port
 * against a real PostgreSQL (with the CRUD API's own catalogue migrations applied, as in a deployment), a real
 * Kafka broker and the in-process schema registry. Each test shops as its own user, so no cleanup is needed.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "KAFKA_BOOTSTRAP_SERVERS=${spring.embedded.kafka.brokers}",
            "chanalytics.events.system-metrics-interval=1s"
        })
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(
        partitions = 1,
        topics = {
            EcommerceIntegrationTest.REQUEST_TOPIC,
            EcommerceIntegrationTest.BUSINESS_TOPIC,
            EcommerceIntegrationTest.SYSTEM_TOPIC
        })
public abstract class EcommerceIntegrationTest {

    public static final String REQUEST_TOPIC = "request-events";
    public static final String BUSINESS_TOPIC = "business-events";
    public static final String SYSTEM_TOPIC = "system-metrics";

    private static final SchemaRegistryServer REGISTRY = SchemaRegistryServer.start(0);

    @Autowired
    protected WebTestClient client;

    @Autowired
    private EmbeddedKafkaBroker broker;

    /** This test's shopper; every request helper below sends it. */
    protected final String userId = "u-" + UUID.randomUUID();

    @DynamicPropertySource
    static void endpoints(DynamicPropertyRegistry registry) {
        CatalogueFixture.migrate();
        EmbeddedPostgresDatabase.register(registry);
        registry.add("SCHEMA_REGISTRY_URL", () -> REGISTRY.baseUri().toString());
    }

    protected KafkaEventReader kafka() {
        return new KafkaEventReader(broker.getBrokersAsString(), REGISTRY.baseUri());
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
