package io.chanalytics.stack;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A message that is not the Confluent wire format: ClickHouse must route it to ingest_errors, not stall on it. */
public final class PoisonMessages {

    private PoisonMessages() {}

    public static void send(String bootstrapServers, String topic) throws Exception {
        send(bootstrapServers, topic, "garbage".getBytes(StandardCharsets.UTF_8));
    }

    /** Any bytes as one message, acknowledged by the broker before this returns. */
    public static void send(String bootstrapServers, String topic, byte[] message) throws Exception {
        try (var producer = new KafkaProducer<byte[], byte[]>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(topic, message)).get(30, TimeUnit.SECONDS);
        }
    }
}
