package io.chanalytics.metrics.publish;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of the events the services publish: a UUIDv8 (RFC 9562, section 5.8) made of 64 bits drawn when the process
 * starts (the version in them) and then the variant and the process's own count of events. Unique: within a process
 * the count never repeats, and two processes share their first half with odds of 2^-60 per pair.
 *
 * <p>Why not random or time-ordered: ClickHouse keeps the id in its raw tables' sort key after the time, and stores
 * what neighbouring rows share once. Neighbouring rows mostly come from the same process, so their ids share the first
 * half and differ in the last bits of the count; ZSTD keeps about 2 bytes a row of them, where a UUIDv7 (48 bits of
 * milliseconds, then 74 random bits) took 12.1 and a random UUIDv4 16 (docs/benchmarks.md, storage). Within one
 * process the ids increase with each call, as bytes and as text.
 */
public final class EventIds {

    private static final long VERSION_MASK = 0xF000L;
    private static final long VERSION_8 = 0x8000L;
    private static final long VARIANT = 0x8000_0000_0000_0000L;
    private static final long COUNT_MASK = 0x3FFF_FFFF_FFFF_FFFFL;

    private static final long PREFIX = (new SecureRandom().nextLong() & ~VERSION_MASK) | VERSION_8;
    private static final AtomicLong COUNT = new AtomicLong();

    private EventIds() {}

    public static UUID next() {
        return new UUID(PREFIX, VARIANT | (COUNT.incrementAndGet() & COUNT_MASK));
    }
}
