package io.chanalytics.metrics.system;

import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventPublisher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Publishes a {@link SystemMetricsEvent} for this instance every {@code interval} from a single daemon thread: CPU,
 * memory, threads, HTTP connections and in-flight requests, and the publisher's own queue depth and drops (so a
 * saturated publisher shows on the dashboards even when its Micrometer endpoint is not scraped).
 */
public final class SystemMetricsReporter implements AutoCloseable {

    private final EventPublisher publisher;
    private final ServiceIdentity identity;
    private final Duration interval;
    private final IntSupplier activeConnections;
    private final IntSupplier inFlightRequests;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private ScheduledExecutorService scheduler;

    public SystemMetricsReporter(
            EventPublisher publisher,
            ServiceIdentity identity,
            Duration interval,
            IntSupplier activeConnections,
            IntSupplier inFlightRequests) {
        this.publisher = publisher;
        this.identity = identity;
        this.interval = interval;
        this.activeConnections = activeConnections;
        this.inFlightRequests = inFlightRequests;
        // The JDK measures CPU load between two calls and answers 0 to the first: take that first sample now, so
        // the first report covers the time since start-up instead of claiming an idle process.
        cpu(true);
        cpu(false);
    }

    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("system-metrics-reporter").daemon().factory());
            long millis = interval.toMillis();
            scheduler.scheduleAtFixedRate(this::report, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    public void report() {
        publisher.publish(snapshot());
    }

    public SystemMetricsEvent snapshot() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        return SystemMetricsEvent.newBuilder()
                .setTimestamp(Instant.now())
                .setServiceName(identity.serviceName())
                .setInstanceId(identity.instanceId())
                .setProcessCpuUsage(cpu(true))
                .setSystemCpuUsage(cpu(false))
                .setHeapUsedBytes(heap.getUsed())
                .setHeapCommittedBytes(heap.getCommitted())
                .setHeapMaxBytes(heap.getMax())
                .setNonHeapUsedBytes(memory.getNonHeapMemoryUsage().getUsed())
                .setLiveThreads(ManagementFactory.getThreadMXBean().getThreadCount())
                .setActiveHttpConnections(activeConnections.getAsInt())
                .setInFlightRequests(inFlightRequests.getAsInt())
                .setPublisherQueueDepth(publisher.queueDepth())
                .setPublisherDroppedTotal(publisher.droppedCount())
                .build();
    }

    private double cpu(boolean process) {
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = process ? sun.getProcessCpuLoad() : sun.getCpuLoad();
            return load < 0 ? -1 : load;
        }
        return -1;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
