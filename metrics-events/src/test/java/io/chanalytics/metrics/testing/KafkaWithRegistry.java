package io.chanalytics.metrics.testing;

import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.registry.SchemaRegistryServer;
import java.net.URI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real KRaft broker with the event topics created, and the in-process schema registry: what every pipeline test
 * starts from. Register it with {@code @RegisterExtension static final KafkaWithRegistry KAFKA = ...}: a per-class one
 * is stopped after the class; {@link #shared()} lives for the test JVM, for Spring contexts that are cached across
 * classes. Starting is idempotent, so {@code @DynamicPropertySource} methods may call {@link #start()} first.
 */
public final class KafkaWithRegistry implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static KafkaWithRegistry shared;

    private final int partitions;
    private final String[] topics;
    private final boolean perClass;
    private EmbeddedKafkaKraftBroker broker;
    private SchemaRegistryServer registry;

    private KafkaWithRegistry(int partitions, boolean perClass, String... topics) {
        this.partitions = partitions;
        this.perClass = perClass;
        this.topics = topics.clone();
    }

    /** A broker and registry for one test class, with the three event topics. */
    public static KafkaWithRegistry perClass(int partitions) {
        return new KafkaWithRegistry(
                partitions, true, EventTopics.DEFAULTS.all().toArray(String[]::new));
    }

    /** One broker and registry for the whole test JVM; tests sharing it isolate their data by unique ids. */
    public static synchronized KafkaWithRegistry shared() {
        if (shared == null) {
            shared = new KafkaWithRegistry(1, false, EventTopics.DEFAULTS.all().toArray(String[]::new));
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(shared::close));
        }
        return shared.start();
    }

    public synchronized KafkaWithRegistry start() {
        if (broker == null) {
            // Topics exist before anyone subscribes, so consumers get their assignments at once.
            broker = new EmbeddedKafkaKraftBroker(1, partitions, topics);
            broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
            broker.afterPropertiesSet();
            registry = SchemaRegistryServer.start(0);
        }
        return this;
    }

    public String bootstrapServers() {
        return start().broker.getBrokersAsString();
    }

    public URI registryUri() {
        return start().registry.baseUri();
    }

    public SchemaRegistryServer registry() {
        return start().registry;
    }

    public KafkaEventReader reader() {
        return new KafkaEventReader(bootstrapServers(), registryUri());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (perClass) {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (broker != null) {
            broker.destroy();
            broker = null;
        }
    }
}
