package io.chanalytics.crud;

import io.chanalytics.api.testing.EmbeddedPostgresDatabase;
import io.chanalytics.metrics.registry.SchemaRegistryServer;
import io.chanalytics.metrics.testing.KafkaEventReader;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The one application context every CRUD integration test shares: the real service on a random port against a
 * real PostgreSQL, a real Kafka broker and the in-process schema registry, wired through the same environment
 * variables a deployment sets. Subclasses add nothing to the context, so Spring starts it once per test run;
 * tests isolate their data with unique names instead of cleaning up.
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
            CrudIntegrationTest.REQUEST_TOPIC,
            CrudIntegrationTest.BUSINESS_TOPIC,
            CrudIntegrationTest.SYSTEM_TOPIC
        })
public abstract class CrudIntegrationTest {

    public static final String REQUEST_TOPIC = "request-events";
    public static final String BUSINESS_TOPIC = "business-events";
    public static final String SYSTEM_TOPIC = "system-metrics";

    private static final SchemaRegistryServer REGISTRY = SchemaRegistryServer.start(0);

    @Autowired
    protected WebTestClient client;

    @Autowired
    private EmbeddedKafkaBroker broker;

    @DynamicPropertySource
    static void endpoints(DynamicPropertyRegistry registry) {
        EmbeddedPostgresDatabase.register(registry);
        registry.add("SCHEMA_REGISTRY_URL", () -> REGISTRY.baseUri().toString());
    }

    protected KafkaEventReader kafka() {
        return new KafkaEventReader(broker.getBrokersAsString(), REGISTRY.baseUri());
    }
}
