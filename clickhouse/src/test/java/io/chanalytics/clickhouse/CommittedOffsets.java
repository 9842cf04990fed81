package io.chanalytics.clickhouse;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * A consumer group's committed offsets moved back while none of its consumers runs: what a crash between a block's
 * write and its commit leaves behind, made certain, so the next consumer reads those messages a second time.
 */
final class CommittedOffsets {

    private CommittedOffsets() {}

    /** Moves each partition's committed offset back by up to {@code messages}; returns how many it moved in all. */
    static long rewind(String bootstrapServers, String group, long messages) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
            long moved = 0;
            for (var entry : committed.entrySet()) {
                long offset = entry.getValue().offset();
                long back = Math.min(messages, offset);
                rewound.put(entry.getKey(), new OffsetAndMetadata(offset - back));
                moved += back;
            }
            // A consumer that just closed may still be a member for a moment; the broker refuses until it is gone.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try {
                    admin.alterConsumerGroupOffsets(group, rewound).all().get(30, TimeUnit.SECONDS);
                    return moved;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownMemberIdException)
                            || Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    Thread.sleep(250);
                }
            }
        }
    }
}
