package io.chanalytics.metrics.autoconfigure;

import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.system.ActiveConnections;
import io.chanalytics.metrics.system.SystemMetricsReporter;
import io.chanalytics.metrics.web.RequestMetricsFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Everything a service gets by adding {@code metrics-events}: the {@link EventPublisher}, one {@code RequestEvent} per
 * WebFlux request and a periodic {@code SystemMetricsEvent}. Turned off as a whole with
 * {@code chanalytics.events.enabled=false}.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnBooleanProperty(name = "chanalytics.events.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventsProperties.class)
public class EventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServiceIdentity serviceIdentity(EventsProperties properties, Environment environment) {
        String name = properties.serviceName() != null
                ? properties.serviceName()
                : environment.getProperty("spring.application.name", "unknown-service");
        return ServiceIdentity.of(name);
    }

    @Bean
    @ConditionalOnMissingBean
    SchemaRegistryClient schemaRegistryClient(EventsProperties properties) {
        return new SchemaRegistryClient(URI.create(properties.schemaRegistryUrl()));
    }

    /**
     * The publisher's producer comes from Spring Boot's Kafka configuration ({@code spring.kafka.*}, customizers
     * included) laid over the telemetry defaults. It is a factory of its own rather than Boot's {@code ProducerFactory}
     * bean, whose String serializers the application's own {@code KafkaTemplate} may rely on.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(
            EventsProperties properties,
            SchemaRegistryClient registry,
            KafkaProperties kafka,
            ObjectProvider<DefaultKafkaProducerFactoryCustomizer> customizers,
            ObjectProvider<MeterRegistry> meterRegistry) {
        Map<String, Object> config = EventPublisherSettings.telemetryProducerDefaults();
        config.putAll(kafka.buildProducerProperties());
        var factory = new DefaultKafkaProducerFactory<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return new EventPublisher(
                properties.publisherSettings(),
                registry,
                meterRegistry.getIfAvailable(SimpleMeterRegistry::new),
                factory.createProducer());
    }

    /** Created by Boot's {@code KafkaAdmin} at start-up when missing; existing topics are left as they are. */
    @Bean
    KafkaAdmin.NewTopics eventTopics(EventsProperties properties) {
        return new KafkaAdmin.NewTopics(
                properties.topicSettings().newTopics(properties.topics()).toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean
    ActiveConnections activeConnections() {
        return new ActiveConnections();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    SystemMetricsReporter systemMetricsReporter(
            EventPublisher publisher,
            ServiceIdentity identity,
            EventsProperties properties,
            ActiveConnections connections,
            ObjectProvider<RequestMetricsFilter> requestFilter) {
        return new SystemMetricsReporter(
                publisher, identity, properties.systemMetricsInterval(), connections::count, () -> {
                    RequestMetricsFilter filter = requestFilter.getIfAvailable();
                    return filter == null ? 0 : filter.inFlightRequests();
                });
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    static class WebFluxRecording {

        @Bean
        @ConditionalOnMissingBean
        RequestMetricsFilter requestMetricsFilter(
                EventPublisher publisher, ServiceIdentity identity, EventsProperties properties) {
            return new RequestMetricsFilter(publisher, identity, properties.excludedPaths());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(NettyServerCustomizer.class)
    static class NettyConnectionCounting {

        @Bean
        NettyServerCustomizer connectionCountingCustomizer(ActiveConnections connections) {
            return server -> server.doOnConnection(connection -> {
                connections.opened();
                connection.onDispose(connections::closed);
            });
        }
    }
}
