package io.chanalytics.metrics.publish;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * A bounded multi-producer queue without locks. A lock shared with the drain thread (as in
 * {@code ArrayBlockingQueue}) would make a request thread wait whenever the OS deschedules the drain thread while it
 * holds that lock, which on a busy 2-core machine means milliseconds; here an offer is a few atomic operations.
 */
final class BoundedEventQueue {

    private final ConcurrentLinkedQueue<SpecificRecord> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final int capacity;

    BoundedEventQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Reserves a slot first, so the bound holds however many threads offer at once. */
    boolean offer(SpecificRecord event) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        events.offer(event);
        return true;
    }

    /** The oldest event, or null when none is ready. */
    SpecificRecord poll() {
        SpecificRecord event = events.poll();
        if (event != null) {
            size.decrementAndGet();
        }
        return event;
    }

    int size() {
        return size.get();
    }

    /** Removes everything queued, handing each event to {@code removed} (to count it). */
    void clear(Consumer<SpecificRecord> removed) {
        SpecificRecord event;
        while ((event = poll()) != null) {
            removed.accept(event);
        }
    }
}
