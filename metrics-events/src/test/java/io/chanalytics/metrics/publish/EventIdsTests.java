package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdsTests {

    @Test
    void idsAreVersion7WithTheirMillisecondFirst() {
        long before = Instant.now().toEpochMilli();
        UUID id = EventIds.next();
        long after = Instant.now().toEpochMilli();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).as("RFC 9562 variant").isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    /** Byte order (as ClickHouse sorts a UUID's text and as its first bytes compress) follows the calls. */
    @Test
    void successiveIdsIncreaseEvenWithinOneMillisecond() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EventIds.next().toString());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }
}
