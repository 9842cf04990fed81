package io.chanalytics.metrics.testing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real multi-broker Kafka cluster in this process (KRaft: one controller, {@code brokers} brokers; the broker code
 * of {@link KafkaWithRegistry}), with topics replicated to every broker and {@code min.insync.replicas} 2, as the
 * cluster compose file creates them: one broker can stop and producers with {@code acks=all} keep being acknowledged.
 * A stopped broker restarts on its own port and data.
 */
public final class KafkaCluster implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaCluster(KafkaClusterTestKit cluster, Admin admin) {
        this.cluster = cluster;
        this.admin = admin;
    }

    /** Starts the cluster and creates {@code topics}, each with {@code partitions} partitions on every broker. */
    public static KafkaCluster start(int brokers, int partitions, Collection<String> topics) {
        String replicas = Integer.toString(brokers);
        String minInSync = Integer.toString(Math.min(2, brokers));
        try {
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(false)
                            .setNumControllerNodes(1)
                            .setNumBrokerNodes(brokers)
                            .build())
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("offsets.topic.replication.factor", replicas)
                    .setConfigProp("default.replication.factor", replicas)
                    .setConfigProp("min.insync.replicas", minInSync)
                    .setConfigProp("transaction.state.log.replication.factor", replicas)
                    .setConfigProp("transaction.state.log.min.isr", minInSync)
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
            admin.createTopics(topics.stream()
                            .map(topic -> new NewTopic(topic, partitions, (short) brokers)
                                    .configs(Map.of("min.insync.replicas", minInSync)))
                            .toList())
                    .all()
                    .get(60, TimeUnit.SECONDS);
            KafkaCluster started = new KafkaCluster(cluster, admin);
            started.awaitFullyReplicated(topics, Duration.ofSeconds(60));
            return started;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start a " + brokers + "-broker Kafka cluster", e);
        }
    }

    /** Every broker's address: a client (or ClickHouse's Kafka engine) that knows all of them survives any one's stop. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The broker that leads {@code partition} of {@code topic} now. */
    public int leaderOf(String topic, int partition) {
        TopicPartitionInfo info =
                describe(List.of(topic)).get(topic).partitions().get(partition);
        if (info.leader() == null || info.leader().isEmpty()) {
            throw new IllegalStateException(topic + "-" + partition + " has no leader");
        }
        return info.leader().id();
    }

    /** Shuts the broker down as a stopped process would (its partitions' leadership moves to the in-sync replicas). */
    public void stopBroker(int id) {
        BrokerServer broker = broker(id);
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts a stopped broker again; it rejoins on the same port and catches up from the leaders. */
    public void startBroker(int id) {
        broker(id).startup();
    }

    /** Waits until every partition of {@code topics} has all its replicas in sync again. */
    public void awaitFullyReplicated(Collection<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!fullyReplicated(topics)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "Replicas of " + topics + " not in sync within " + timeout + ": " + describe(topics));
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private boolean fullyReplicated(Collection<String> topics) {
        try {
            return describe(topics).values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null
                            && partition.isr().size() == partition.replicas().size());
        } catch (IllegalStateException e) {
            return false; // metadata not answered yet, e.g. right after a broker restart
        }
    }

    private Map<String, TopicDescription> describe(Collection<String> topics) {
        try {
            return admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot describe " + topics, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private BrokerServer broker(int id) {
        BrokerServer broker = cluster.brokers().get(id);
        if (broker == null) {
            throw new IllegalArgumentException(
                    "No broker " + id + "; brokers: " + cluster.brokers().keySet());
        }
        return broker;
    }

    @Override
    public void close() {
        admin.close();
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot stop the Kafka cluster", e);
        }
    }
}
