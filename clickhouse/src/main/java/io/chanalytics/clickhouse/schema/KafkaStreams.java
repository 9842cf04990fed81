package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.SqlSession;

/** The Kafka engine tables' streams, restarted after schema files ran (the embedded engine and the runner do it). */
public final class KafkaStreams {

    private KafkaStreams() {}

    /**
     * A Kafka table streams into the views it had when its current stream began: one that was already streaming
     * while the schema files added views to it (a Kafka table loaded with the database, or created by an earlier file
     * of the same start) can write its next blocks without them. Seen on chDB 26.7: the first blocks after a fresh
     * start were missing from the block ledger (file 016) while the raw table had them. Reattaching each Kafka table
     * ends its stream, committed as on a clean close, and the next one writes to every view.
     */
    public static void restart(SqlSession engine) {
        for (String table : engine.query(
                        "SELECT name FROM system.tables WHERE database = 'analytics' AND engine = 'Kafka' ORDER BY name")
                .lines()
                .toList()) {
            engine.execute("DETACH TABLE analytics.`" + table + "`");
            engine.execute("ATTACH TABLE analytics.`" + table + "`");
        }
    }
}
