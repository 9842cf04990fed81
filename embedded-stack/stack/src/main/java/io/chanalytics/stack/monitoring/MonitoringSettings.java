package io.chanalytics.stack.monitoring;

/**
 * Where the embedded stack's monitoring listens (loopback, the compose ports where compose has them): Prometheus,
 * Alertmanager, the consumer-lag endpoint (the port of compose's exporter) and the receiver of Alertmanager's
 * notifications; {@code enabled} false leaves Prometheus and Alertmanager out even when they are installed.
 */
public record MonitoringSettings(
        int prometheusPort, int alertmanagerPort, int consumerLagPort, int alertWebhookPort, boolean enabled) {}
