package io.chanalytics.metrics.publish;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Ids of the events the services publish: time-ordered UUIDv7 (RFC 9562: 48 bits of Unix milliseconds, then random
 * bits). ClickHouse deduplicates on the id, and keeps it in its raw tables' sort keys after the time, where ids of the
 * same millisecond share their first six bytes: ZSTD stores them in about 12 bytes instead of the 16 of a random
 * UUIDv4 (docs/benchmarks.md, storage). Within one process the ids also increase with each call.
 */
public final class EventIds {

    // Thread-safe: increments the random part within one millisecond, so ids of a process stay ordered.
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private EventIds() {}

    public static UUID next() {
        return GENERATOR.generate();
    }
}
