package io.chanalytics.stack;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack keeps its state in its data directory: a broker and a PostgreSQL server started again on the same
 * directories find their topics, messages, databases and rows (the ClickHouse side of a restart is tested in the
 * clickhouse module).
 */
class StackRestartIntegrationTests {

    @TempDir
    Path data;

    @Test
    void brokerKeepsTopicsAndMessagesAcrossARestart() throws Exception {
        int port;
        int controllerPort;
        try (var first = new ServerSocket(0);
                var second = new ServerSocket(0)) {
            port = first.getLocalPort();
            controllerPort = second.getLocalPort();
        }
        String message = "kept-" + UUID.randomUUID();
        try (var broker = KafkaBroker.start(data, port, controllerPort, StackSettings.TOPICS, 2);
                var producer = new KafkaProducer<String, String>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.send(new ProducerRecord<>("business-events", message)).get(30, SECONDS);
        }

        // Formatting again must be a no-op and creating the topics again must not fail.
        try (var broker = KafkaBroker.start(data, port, controllerPort, StackSettings.TOPICS, 2);
                var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get(30, SECONDS)).containsAll(StackSettings.TOPICS);
            assertThat(admin.describeTopics(List.of("request-events"))
                            .allTopicNames()
                            .get(30, SECONDS)
                            .get("request-events")
                            .partitions())
                    .hasSize(2);
            assertThat(readAll(broker.bootstrapServers(), "business-events")).containsExactly(message);
        }
    }

    @Test
    void postgresKeepsTheDatabaseAndItsRowsAcrossARestart() throws Exception {
        int port = freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/shop";
        try (var postgres = Postgres.start(data, port, "shop", "owner", "secret");
                Connection connection = DriverManager.getConnection(url, "owner", "secret");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (name text)");
            statement.execute("INSERT INTO kept VALUES ('first run')");
        }
        try (var postgres = Postgres.start(data, port, "shop", "owner", "secret");
                Connection connection = DriverManager.getConnection(url, "owner", "secret");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT name FROM kept")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("first run");
        }
    }

    private static List<String> readAll(String bootstrapServers, String topic) {
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "restart-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    return StreamSupport.stream(records.spliterator(), false)
                            .map(ConsumerRecord::value)
                            .toList();
                }
            }
            return List.of();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
