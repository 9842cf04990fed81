package io.chanalytics.metrics.publish;

import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.metrics.wire.ConfluentAvroSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events to Kafka without ever blocking the caller. {@link #publish} only offers the event to a bounded
 * queue; one drain thread registers schemas (cached), serializes and hands records to the Kafka producer. When the
 * queue is full the event is dropped and counted: telemetry must never slow down or fail the request it describes,
 * and what it loses must be visible ({@code chanalytics.events.dropped}, {@code .failed}).
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
    /** How often the drain thread looks at an empty queue while events keep coming. */
    private static final Duration POLL_PARK = Duration.ofMillis(2);
    /** Empty looks after which the drain thread sleeps until a publisher wakes it (100 ms of no event). */
    private static final int LOOKS_BEFORE_SLEEP = 50;
    /** The longest sleep, so that drop warnings (at most one per 30 s) still go out while nothing is published. */
    private static final Duration SLEEP = Duration.ofSeconds(10);

    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EventPublisherSettings settings;
    private final SchemaRegistryClient registry;
    private final Producer<byte[], byte[]> producer;
    private final BoundedEventQueue queue;
    private final ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    // The drain thread's own: the registry client's cache is keyed by subject and schema, a key built and hashed per
    // event (5 % of the drain thread's samples); a generated class's schema is one instance, its topic one topic.
    private final Map<Schema, Integer> schemaIds = new IdentityHashMap<>();
    private final PublisherMeters meters;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong droppedCount = new AtomicLong();
    private final Thread drainer;
    private volatile boolean running = true;
    /** Set while the drain thread sleeps: the next publisher wakes it (the only case in which publish makes a call). */
    private volatile boolean drainerAsleep;

    private long dropsWarnedAbout;
    private volatile long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;

    /** A publisher with its own producer, configured with the telemetry defaults, for use outside Spring. */
    public static EventPublisher connect(
            String bootstrapServers,
            EventPublisherSettings settings,
            SchemaRegistryClient registry,
            MeterRegistry meterRegistry) {
        return new EventPublisher(
                settings,
                registry,
                meterRegistry,
                new KafkaProducer<>(EventPublisherSettings.producerConfig(bootstrapServers)));
    }

    /** A publisher that owns {@code producer} (closes it on {@link #close()}). */
    public EventPublisher(
            EventPublisherSettings settings,
            SchemaRegistryClient registry,
            MeterRegistry meterRegistry,
            Producer<byte[], byte[]> producer) {
        this.settings = settings;
        this.registry = registry;
        this.producer = producer;
        this.queue = new BoundedEventQueue(settings.queueCapacity());
        this.meters = new PublisherMeters(meterRegistry, this);
        this.drainer = Thread.ofPlatform().name("event-publisher").daemon().start(this::drain);
    }

    /**
     * Offers {@code event} for publishing. Returns at once: {@code true} if queued, {@code false} if it was dropped (queue
     * full, publisher closed, or a type without a topic). Never throws.
     */
    public boolean publish(SpecificRecord event) {
        offered.incrementAndGet();
        String topic = event == null ? null : settings.topics().topicFor(event).orElse(null);
        if (topic != null && running && queue.offer(event)) {
            if (drainerAsleep) {
                LockSupport.unpark(drainer);
            }
            return true;
        }
        // Counting only: the drain thread logs the warning, so a drop never costs the caller any I/O.
        countDrop(topic);
        return false;
    }

    private void countDrop(String topic) {
        meters.dropped(topic).increment();
        droppedCount.incrementAndGet();
    }

    public PublisherStats stats() {
        return new PublisherStats(
                offered.get(),
                (long) meters.published.values().stream()
                        .mapToDouble(Counter::count)
                        .sum(),
                (long) meters.failedTotal(),
                droppedCount.get(),
                queue.size(),
                inFlight.get());
    }

    public int queueDepth() {
        return queue.size();
    }

    public long droppedCount() {
        return droppedCount.get();
    }

    /** The drain thread's id, for tests of its CPU time. */
    long drainThreadId() {
        return drainer.threadId();
    }

    /** Waits until everything offered so far has been acknowledged or failed; for tests and orderly shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue.size() > 0 || inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            producer.flush();
            Thread.sleep(10);
        }
        return true;
    }

    /** Stops accepting events, sends what is queued within the close timeout, and counts the rest as dropped. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(drainer);
        try {
            drainer.join(settings.closeTimeout().toMillis());
            if (drainer.isAlive()) {
                // Still blocked on an unreachable broker: give up on the rest rather than hang shutdown.
                drainer.interrupt();
                drainer.join(settings.closeTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear(event -> countDrop(settings.topics().topicFor(event).orElse(null)));
        producer.close(settings.closeTimeout());
    }

    /**
     * Sends what is queued. An empty queue is looked at again every {@link #POLL_PARK} while events keep coming, so that
     * publishers never need to wake this thread (that would cost them a system call); after
     * {@link #LOOKS_BEFORE_SLEEP} empty looks it sleeps until the next publisher wakes it, so that an idle service pays
     * nothing for its publisher.
     */
    private void drain() {
        int emptyLooks = 0;
        while ((running || queue.size() > 0) && !Thread.currentThread().isInterrupted()) {
            SpecificRecord event = queue.poll();
            if (event != null) {
                send(event);
                emptyLooks = 0;
                continue;
            }
            warnAboutNewDrops();
            if (++emptyLooks < LOOKS_BEFORE_SLEEP) {
                LockSupport.parkNanos(POLL_PARK.toNanos());
            } else {
                sleepUntilWoken();
            }
        }
    }

    /**
     * Announces the sleep, then looks once more: an event offered before the announcement is seen here, and a publisher
     * that offers after it sees the announcement and wakes this thread (volatile write, then read, on both sides).
     */
    private void sleepUntilWoken() {
        drainerAsleep = true;
        if (queue.size() == 0 && running) {
            LockSupport.parkNanos(SLEEP.toNanos());
        }
        drainerAsleep = false;
    }

    private void warnAboutNewDrops() {
        long dropped = droppedCount.get();
        if (dropped > dropsWarnedAbout
                && warnRateLimited(() -> (dropped - dropsWarnedAbout)
                        + " events dropped (queue full, publisher closed or unknown event type);"
                        + " see chanalytics.events.dropped")) {
            dropsWarnedAbout = dropped;
        }
    }

    private void send(SpecificRecord event) {
        String topic = settings.topics().topicFor(event).orElseThrow();
        inFlight.incrementAndGet();
        try {
            int schemaId = schemaIds.computeIfAbsent(
                    event.getSchema(), schema -> registry.register(EventTopics.subjectOf(topic), schema));
            byte[] value = serializer.serialize(schemaId, event);
            producer.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                    meters.published(topic).increment();
                } else {
                    meters.failed(topic).increment();
                    warnRateLimited(() -> "Event delivery to " + topic + " failed: " + error);
                }
            });
        } catch (RuntimeException e) {
            // Registry down, serialization or metadata timeout: the producer's callback will not run for this event.
            inFlight.decrementAndGet();
            meters.failed(topic).increment();
            warnRateLimited(() -> "Event for " + topic + " not sent: " + e);
        }
    }

    /** Logs at most one warning per interval; the message is only built when it is logged. */
    private boolean warnRateLimited(Supplier<String> message) {
        long now = System.nanoTime();
        if (now - lastWarnNanos < WARN_INTERVAL_NANOS) {
            return false;
        }
        lastWarnNanos = now;
        log.warn("{} (stats: {})", message.get(), stats());
        return true;
    }

    /** The Micrometer meters; counters are created per topic on first use. */
    private static final class PublisherMeters {
        final MeterRegistry registry;
        final Map<String, Counter> dropped = new ConcurrentHashMap<>();
        final Map<String, Counter> published = new ConcurrentHashMap<>();
        final Map<String, Counter> failed = new ConcurrentHashMap<>();

        PublisherMeters(MeterRegistry registry, EventPublisher publisher) {
            this.registry = registry;
            // Registered up front for every topic, so a scrape shows zeros rather than nothing before a first loss: an
            // alert on increase() needs the series before the first failure to see that failure at all.
            publisher.settings.topics().all().forEach(topic -> {
                dropped(topic);
                failed(topic);
                published(topic);
            });
            Gauge.builder("chanalytics.events.queue.depth", publisher, EventPublisher::queueDepth)
                    .description("Events waiting in the publisher's bounded queue")
                    .register(registry);
            Gauge.builder("chanalytics.events.in.flight", publisher.inFlight, AtomicLong::get)
                    .description("Events handed to the Kafka producer and not yet acknowledged")
                    .register(registry);
        }

        Counter published(String topic) {
            return published.computeIfAbsent(
                    topic,
                    t -> Counter.builder("chanalytics.events.published")
                            .description("Events acknowledged by Kafka")
                            .tag("topic", t)
                            .register(registry));
        }

        Counter failed(String topic) {
            return failed.computeIfAbsent(
                    topic,
                    t -> Counter.builder("chanalytics.events.failed")
                            .description("Events that could not be serialized or delivered")
                            .tag("topic", t)
                            .register(registry));
        }

        /** Per topic, so each stream's losses add up with what reached ClickHouse; {@code none}: no topic. */
        Counter dropped(String topic) {
            return dropped.computeIfAbsent(
                    topic == null ? "none" : topic,
                    t -> Counter.builder("chanalytics.events.dropped")
                            .description("Events dropped before reaching Kafka (queue full or publisher closed)")
                            .tag("topic", t)
                            .register(registry));
        }

        double failedTotal() {
            return failed.values().stream().mapToDouble(Counter::count).sum();
        }
    }
}
