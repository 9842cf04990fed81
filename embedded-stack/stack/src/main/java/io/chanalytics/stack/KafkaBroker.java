package io.chanalytics.stack;

import io.chanalytics.metrics.publish.TopicSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, one node acting as broker and controller) running in this process, with its log
 * directory on disk so topics and committed offsets survive a restart of the stack. The same server the official
 * image runs, started the way {@code kafka-storage.sh format} + {@code kafka-server-start.sh} would.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Fixed so a formatted log directory is accepted again on the next start. */
    static final String CLUSTER_ID = "5L6g3nShT-eMCtK--X86sw";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Properties properties;
    private final int port;
    private KafkaRaftServer server; // null while stopped

    private KafkaBroker(Properties properties, int port) {
        this.properties = properties;
        this.port = port;
    }

    /**
     * Formats {@code directory} on first use, starts the broker on loopback {@code port} (controller on
     * {@code controllerPort}) and creates {@code topics} with {@code partitions} partitions if they are missing.
     */
    public static KafkaBroker start(Path directory, int port, int controllerPort, List<String> topics, int partitions) {
        Properties properties = serverProperties(directory.resolve("logs"), port, controllerPort);
        Path config = directory.resolve("server.properties");
        try {
            Files.createDirectories(directory);
            try (Writer writer = Files.newBufferedWriter(config)) {
                properties.store(writer, "Written by the embedded stack on each start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka configuration to " + config, e);
        }
        format(config);
        KafkaBroker broker = new KafkaBroker(properties, port);
        broker.startServer();
        try {
            broker.createTopics(topics, partitions);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /**
     * Stops the broker as a crashed or stopped Kafka would look to its clients (connections refused), keeping its log
     * directory; {@link #restart()} brings it back on the same port. For outage tests and drills.
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts a stopped broker again on its port and log directory, and waits until it answers. */
    public synchronized void restart() {
        if (server == null) {
            startServer();
            awaitTopics();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void startServer() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();
    }

    static Properties serverProperties(Path logDirectory, int port, int controllerPort) {
        Properties properties = new Properties();
        properties.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDirectory.toAbsolutePath().toString()),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                // Consumers (ClickHouse's Kafka engine) join at once instead of waiting for more members.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("log.retention.hours", "168")));
        return properties;
    }

    private static void format(Path config) {
        var output = new ByteArrayOutputStream();
        int exitCode;
        try (var printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(
                    new String[] {"format", "-t", CLUSTER_ID, "-c", config.toString(), "--ignore-formatted"},
                    printStream);
        }
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting the Kafka log directory failed (exit " + exitCode + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitTopics() {
        try (Admin admin = admin()) {
            admin.listTopics().names().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker on " + bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "The broker on " + bootstrapServers() + " did not answer after a restart", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) READY_TIMEOUT.toMillis()));
    }

    private void createTopics(List<String> topics, int partitions) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(TopicSettings.DEFAULTS.withPartitions(partitions)::newTopic)
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + topics + " on " + bootstrapServers(), e);
        }
    }
}
