package io.chanalytics.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.clickhouse.schema.SchemaMode;
import io.chanalytics.clickhouse.schema.SchemaRunner;
import io.chanalytics.stack.RepositoryLayout;
import io.chanalytics.stack.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Static checks of {@code docker-compose.cluster.yml} and the files it mounts (the cluster cannot run here): the
 * topology the issue promises, and that the compose file, the ClickHouse cluster config, the Keeper config, NGINX and
 * the schema runner's cluster mode name the same nodes, shards, replicas and ports. The checks every compose file
 * passes are in {@link ComposeFileTests}.
 */
class ClusterComposeFileTests {

    private static final Path ROOT = RepositoryLayout.root();

    private static Map<String, Map<String, Object>> services;
    private static XPath xpath;

    @BeforeAll
    static void parse() throws IOException {
        services = ComposeFile.servicesOf(ComposeFile.load("docker-compose.cluster.yml"));
        xpath = XPathFactory.newInstance().newXPath();
    }

    @Test
    void threeKraftBrokersReplicateEveryTopicThreeTimesAndNeedTwoInSync() {
        List<String> ids = new ArrayList<>();
        for (String broker : List.of("kafka-1", "kafka-2", "kafka-3")) {
            Map<String, Object> environment = environment(broker);
            ids.add(String.valueOf(environment.get("KAFKA_NODE_ID")));
            assertThat(environment)
                    .as(broker)
                    .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                    .containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093")
                    .containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", 3)
                    .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", 2)
                    .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", 3);
            assertThat((String) environment.get("KAFKA_ADVERTISED_LISTENERS"))
                    .startsWith("INTERNAL://" + broker + ":29092,");
        }
        assertThat(ids).containsExactly("1", "2", "3");

        String init = String.join("\n", command("kafka-init"));
        Map<String, Object> initEnvironment = environment("kafka-init");
        assertThat(Integer.parseInt(String.valueOf(initEnvironment.get("PARTITIONS"))))
                .as("partitions by default")
                .isGreaterThanOrEqualTo(6);
        assertThat(init).contains("--partitions \"${PARTITIONS}\"", "--replication-factor \"${REPLICATION_FACTOR}\"");
        assertThat(initEnvironment)
                .containsEntry("REPLICATION_FACTOR", 3)
                .containsEntry("TOPIC_CONFIGS", "--config min.insync.replicas=2 --config retention.ms=604800000");
        for (String topic : StackSettings.TOPICS) {
            assertThat(init).contains(topic);
        }
    }

    @Test
    void theClickHouseNodesAreTheShardsAndReplicasOfTheClusterConfig() throws Exception {
        Document cluster = xml("clickhouse/docker/cluster/cluster.xml");
        Map<String, String> shardOfHost = new TreeMap<>();
        int shards = Integer.parseInt(xpath.evaluate("count(/clickhouse/remote_servers/chanalytics/shard)", cluster));
        for (int shard = 1; shard <= shards; shard++) {
            String base = "/clickhouse/remote_servers/chanalytics/shard[" + shard + "]";
            assertThat(xpath.evaluate(base + "/internal_replication", cluster)).isEqualTo("true");
            int replicas = Integer.parseInt(xpath.evaluate("count(" + base + "/replica)", cluster));
            for (int replica = 1; replica <= replicas; replica++) {
                shardOfHost.put(
                        xpath.evaluate(base + "/replica[" + replica + "]/host", cluster), Integer.toString(shard));
            }
        }
        assertThat(shards).isEqualTo(2);
        assertThat(shardOfHost).hasSize(4);

        Map<String, String> shardOfService = new TreeMap<>();
        for (String node : shardOfHost.keySet()) {
            Map<String, Object> environment = environment(node);
            assertThat(services.get(node).get("hostname")).as(node).isEqualTo(node);
            shardOfService.put(node, String.valueOf(environment.get("CH_SHARD")));
            assertThat(environment.get("CH_REPLICA"))
                    .as("replica name of " + node)
                    .isEqualTo(node);
            assertThat(volumes(node))
                    .contains(
                            "./clickhouse/docker/cluster/cluster.xml:/etc/clickhouse-server/config.d/cluster.xml:ro",
                            "./clickhouse/src/main/resources/clickhouse/config/kafka.xml"
                                    + ":/etc/clickhouse-server/config.d/kafka.xml:ro",
                            "./clickhouse/docker/users.d/grafana.xml:/etc/clickhouse-server/users.d/grafana.xml:ro");
        }
        assertThat(shardOfService).isEqualTo(shardOfHost);
        // The macros the cluster mode's Replicated engines use, read from the variables compose sets.
        assertThat(xpath.evaluate("/clickhouse/macros/shard/@from_env", cluster))
                .isEqualTo("CH_SHARD");
        assertThat(xpath.evaluate("/clickhouse/macros/replica/@from_env", cluster))
                .isEqualTo("CH_REPLICA");
        assertThat(xpath.evaluate("/clickhouse/remote_servers/chanalytics/secret/@from_env", cluster))
                .isEqualTo("CH_CLUSTER_SECRET");
        assertThat(environment("clickhouse-1")).containsKey("CH_CLUSTER_SECRET");
        assertThat(xpath.evaluate("/clickhouse/distributed_ddl/path", cluster)).isNotBlank();
    }

    @Test
    void theKeepersAreTheRaftMembersEveryNodeConnectsTo() throws Exception {
        Document keeper = xml("clickhouse/docker/cluster/keeper.xml");
        Document cluster = xml("clickhouse/docker/cluster/cluster.xml");
        Map<String, String> raft = new TreeMap<>();
        for (int server = 1; server <= 3; server++) {
            String base = "/clickhouse/keeper_server/raft_configuration/server[" + server + "]";
            raft.put(xpath.evaluate(base + "/hostname", keeper), xpath.evaluate(base + "/id", keeper));
        }
        Map<String, String> compose = new TreeMap<>();
        for (String name : services.keySet()) {
            if (name.startsWith("clickhouse-keeper-")) {
                compose.put(name, String.valueOf(environment(name).get("KEEPER_SERVER_ID")));
                assertThat(volumes(name))
                        .contains("./clickhouse/docker/cluster/keeper.xml:/etc/clickhouse-keeper/keeper_config.xml:ro");
            }
        }
        assertThat(compose).isEqualTo(raft).hasSize(3);
        assertThat(xpath.evaluate("/clickhouse/keeper_server/server_id/@from_env", keeper))
                .isEqualTo("KEEPER_SERVER_ID");
        var zookeeper = new TreeSet<String>();
        for (int node = 1; node <= 3; node++) {
            zookeeper.add(xpath.evaluate("/clickhouse/zookeeper/node[" + node + "]/host", cluster) + ":"
                    + xpath.evaluate("/clickhouse/zookeeper/node[" + node + "]/port", cluster));
        }
        assertThat(zookeeper)
                .containsExactly(raft.keySet().stream()
                        .map(host -> host + ":" + xpath(keeper, "/clickhouse/keeper_server/tcp_port"))
                        .toArray(String[]::new));
    }

    @Test
    void theSchemaIsAppliedOnceOnTheClusterTheServersDefine() throws Exception {
        Map<String, Object> environment = environment("clickhouse-schema");
        String cluster = (String) environment.get(SchemaRunner.CLUSTER);
        SchemaMode.onCluster(cluster); // a valid name
        assertThat(xpath.evaluate(
                        "count(/clickhouse/remote_servers/" + cluster + ")",
                        xml("clickhouse/docker/cluster/cluster.xml")))
                .isEqualTo("1");
        assertThat(environment)
                .containsEntry("CHANALYTICS_CLICKHOUSE_URL", "http://clickhouse-1:8123")
                .containsEntry("CHANALYTICS_SCHEMA_DIR", "/schema")
                .containsEntry("CH_KAFKA_BROKER_LIST", "kafka-1:29092,kafka-2:29092,kafka-3:29092");
        assertThat(volumes("clickhouse-schema"))
                .contains("./clickhouse/src/main/resources/clickhouse/schema:/schema:ro");
        for (String node : List.of("clickhouse-1", "clickhouse-2", "clickhouse-3", "clickhouse-4")) {
            assertThat(volumes(node))
                    .as("%s runs no init script: the schema comes ON CLUSTER, once", node)
                    .noneMatch(volume -> volume.contains("docker-entrypoint-initdb.d"));
        }
        assertThat(dependencies("grafana")).containsKey("clickhouse-schema");
    }

    @Test
    void nginxBalancesTwoInstancesOfEachApiOnTheSingleNodePorts() throws IOException {
        String conf = Files.readString(ROOT.resolve("apis/nginx/default.conf"));
        Map<String, List<String>> upstreams = new TreeMap<>();
        Matcher upstream = Pattern.compile("(?s)upstream (\\w+) \\{(.*?)}").matcher(conf);
        while (upstream.find()) {
            List<String> servers = new ArrayList<>();
            Matcher server = Pattern.compile("(?m)^\\s*server ([\\w-]+:\\d+)").matcher(upstream.group(2));
            while (server.find()) {
                servers.add(server.group(1));
            }
            upstreams.put(upstream.group(1), servers);
        }
        assertThat(upstreams)
                .containsEntry("crud_api", List.of("crud-api-1:8001", "crud-api-2:8001"))
                .containsEntry("ecommerce_api", List.of("ecommerce-api-1:8002", "ecommerce-api-2:8002"));
        for (List<String> servers : upstreams.values()) {
            for (String server : servers) {
                String service = server.substring(0, server.indexOf(':'));
                assertThat(services).containsKey(service);
                assertThat(environment(service).get("SERVER_PORT"))
                        .isEqualTo(Integer.parseInt(server.substring(server.indexOf(':') + 1)));
                assertThat(services.get(service))
                        .as("%s is reached through NGINX only", service)
                        .doesNotContainKey("ports");
                assertThat(dependencies("nginx")).containsKey(service);
            }
        }
        assertThat(conf)
                .contains(
                        "listen 8001;",
                        "listen 8002;",
                        "proxy_pass http://crud_api;",
                        "proxy_pass http://ecommerce_api;");
        assertThat(conf)
                .as("a POST that reached an instance is never sent to the other")
                .doesNotContainPattern("(?m)^[^#]*non_idempotent");
        Matcher retried =
                Pattern.compile("(?m)^\\s*proxy_next_upstream ([^;]*);").matcher(conf);
        assertThat(retried.find()).as("proxy_next_upstream set").isTrue();
        assertThat(List.of(retried.group(1).split("\\s+")))
                .as("an instance that is down (502) or not ready (503) gets the request retried on the other")
                .contains("error", "timeout", "http_502", "http_503");
        assertThat(volumes("nginx")).contains("./apis/nginx/default.conf:/etc/nginx/conf.d/default.conf:ro");
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) services.get("nginx").get("ports");
        assertThat(ports).containsExactly("127.0.0.1:8001:8001", "127.0.0.1:8002:8002");
        assertThat(environment("simulator"))
                .containsEntry("SIMULATOR_CRUD_API_BASE_URL", "http://nginx:8001")
                .containsEntry("SIMULATOR_ECOMMERCE_API_BASE_URL", "http://nginx:8002");
    }

    /**
     * The APIs believe forwarded headers from NGINX alone (TRUSTED_PROXIES, api-support's TrustedProxyForwardedHeaders):
     * NGINX has a fixed address inside the network's fixed range, every API instance trusts exactly that address, and
     * NGINX replaces any X-Forwarded-For a client sent (the services take its first address).
     */
    @SuppressWarnings("unchecked")
    @Test
    void onlyNginxIsBelievedWhenItForwardsTheClientsAddress() throws Exception {
        Map<String, Object> compose = ComposeFile.load("docker-compose.cluster.yml");
        Map<String, Object> network =
                (Map<String, Object>) ((Map<String, Object>) compose.get("networks")).get("default");
        String subnet = (String) ((List<Map<String, Object>>) ((Map<String, Object>) network.get("ipam")).get("config"))
                .getFirst()
                .get("subnet");
        String nginx = (String) ((Map<String, Object>)
                        ((Map<String, Object>) services.get("nginx").get("networks")).get("default"))
                .get("ipv4_address");
        String[] range = subnet.split("/");
        long mask = -1L << (32 - Integer.parseInt(range[1]));
        assertThat(ipv4(nginx) & mask).as("%s inside %s", nginx, subnet).isEqualTo(ipv4(range[0]) & mask);
        for (String api : List.of("crud-api-1", "crud-api-2", "ecommerce-api-1", "ecommerce-api-2")) {
            assertThat(environment(api)).as(api).containsEntry("TRUSTED_PROXIES", nginx);
        }
        String conf = Files.readString(ROOT.resolve("apis/nginx/default.conf"));
        assertThat(conf).contains("proxy_set_header X-Forwarded-For $remote_addr;");
        assertThat(conf).doesNotContainPattern("(?m)^[^#]*\\$proxy_add_x_forwarded_for");
        assertThat(ComposeFile.servicesOf(ComposeFile.load("docker-compose.yml")))
                .allSatisfy((name, service) -> assertThat(
                                service.getOrDefault("environment", Map.of()).toString())
                        .as("%s: no proxy in front of the single-node services", name)
                        .doesNotContain("TRUSTED_PROXIES"));
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = (value << 8) | Integer.parseInt(octet);
        }
        return value & 0xFFFFFFFFL;
    }

    @Test
    void everyNodesKafkaConsumersHaveAPoolThread() throws Exception {
        int consumers =
                Integer.parseInt((String) environment("clickhouse-schema").get("CH_KAFKA_NUM_CONSUMERS"));
        int pool = Integer.parseInt(xpath(
                xml("clickhouse/src/main/resources/clickhouse/config/kafka.xml"),
                "/clickhouse/background_message_broker_schedule_pool_size"));
        assertThat(pool)
                .as("request consumers and the two other tables' on one node")
                .isGreaterThan(consumers + 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWorkflowRunsTheClusterThroughTheVerifierAndTheSimulator() throws IOException {
        Map<String, Object> workflow;
        try (var in = Files.newInputStream(ROOT.resolve(".github/workflows/compose-stack.yml"))) {
            workflow = new org.yaml.snakeyaml.Yaml().load(in);
        }
        List<Map<String, Object>> steps =
                (List<Map<String, Object>>) ((Map<String, Map<String, Object>>) workflow.get("jobs"))
                        .get("cluster")
                        .get("steps");
        String commands = String.join(
                "\n",
                steps.stream()
                        .map(step -> String.valueOf(step.getOrDefault("run", "")))
                        .toList());
        assertThat(commands)
                .contains(
                        "docker compose -f docker-compose.cluster.yml up --build --detach --wait",
                        "scripts/verify-stack.sh",
                        "docker compose -f docker-compose.cluster.yml --profile simulator run --rm simulator",
                        "docker compose -f docker-compose.cluster.yml --profile simulator down --volumes");
    }

    /**
     * The schema runner's image (clickhouse/Dockerfile): Docker's {@code cp} of a glob into one file fails on no match
     * or several, and the entry point must name the runner; the jar the glob finds must hold the runner and the schema
     * files it applies when no directory is mounted.
     */
    @Test
    void theSchemaRunnerImageCopiesTheModulesOneJarAndStartsTheRunner() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("clickhouse/Dockerfile"));
        assertThat(dockerfile)
                .contains("-pl clickhouse -am package")
                .contains("\"" + SchemaRunner.class.getName() + "\"]");
        Matcher copy =
                Pattern.compile("cp (clickhouse/target/)([\\w*.-]+\\.jar) ").matcher(dockerfile);
        assertThat(copy.find()).as("the build stage copies the module's jar").isTrue();
        Path target = ROOT.resolve(copy.group(1));
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(target), "the clickhouse module is not built yet (" + target + ")");
        var glob = target.getFileSystem().getPathMatcher("glob:" + copy.group(2));
        List<Path> jars;
        try (var files = Files.list(target)) {
            jars = files.filter(file -> glob.matches(file.getFileName())).toList();
        }
        assertThat(jars).as("jars matching " + copy.group(2)).hasSize(1);
        try (var jar = new java.util.zip.ZipFile(jars.getFirst().toFile())) {
            assertThat(jar.getEntry(SchemaRunner.class.getName().replace('.', '/') + ".class"))
                    .isNotNull();
            assertThat(jar.getEntry("clickhouse/schema/001_database.sql")).isNotNull();
            assertThat(jar.getEntry("clickhouse/schema/variables.env")).isNotNull();
            // What the runner reads beside the numbered files when no directory is mounted: the shared fragments and
            // the re-baseline list (SchemaMigrations.fromDirectory on the jar's folder).
            assertThat(jar.getEntry("clickhouse/schema/_kafka_settings.sql")).isNotNull();
            assertThat(jar.getEntry("clickhouse/schema/_ingest_errors_view.sql"))
                    .isNotNull();
            assertThat(jar.getEntry("clickhouse/schema/rebaselined.sha256")).isNotNull();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String service) {
        assertThat(services).containsKey(service);
        return (Map<String, Object>) services.get(service).get("environment");
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(String service) {
        return (List<String>) services.get(service).getOrDefault("volumes", List.of());
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(String service) {
        return (List<String>) services.get(service).get("command");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dependencies(String service) {
        return (Map<String, Object>) services.get(service).get("depends_on");
    }

    private static Document xml(String file) throws Exception {
        return DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(ROOT.resolve(file).toFile());
    }

    private static String xpath(Document document, String expression) {
        try {
            return xpath.evaluate(expression, document).strip();
        } catch (javax.xml.xpath.XPathExpressionException e) {
            throw new IllegalArgumentException(expression, e);
        }
    }
}
