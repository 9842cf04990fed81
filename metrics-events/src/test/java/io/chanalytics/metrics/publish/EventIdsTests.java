package io.chanalytics.metrics.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventIdsTests {

    @Test
    void idsAreVersion8WithTheProcesssPrefixFirst() {
        UUID first = EventIds.next();
        UUID second = EventIds.next();

        assertThat(first.version()).isEqualTo(8);
        assertThat(first.variant()).as("RFC 9562 variant").isEqualTo(2);
        assertThat(second.getMostSignificantBits())
                .as("the process's prefix, shared by its ids")
                .isEqualTo(first.getMostSignificantBits());
        assertThat(second.getLeastSignificantBits() - first.getLeastSignificantBits())
                .as("the count")
                .isEqualTo(1);
    }

    /** Byte order (as ClickHouse sorts a UUID's text and as its first bytes compress) follows the calls. */
    @Test
    void successiveIdsIncrease() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(EventIds.next().toString());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void idsFromManyThreadsAtOnceAreAllDistinct() {
        Set<UUID> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 8).parallel().forEach(thread -> {
            for (int i = 0; i < 50_000; i++) {
                ids.add(EventIds.next());
            }
        });
        assertThat(ids).hasSize(400_000);
    }
}
