package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.SqlSession;
import io.chanalytics.clickhouse.engine.ChDbException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Applies the schema files to a ClickHouse server over HTTP: the {@code clickhouse-schema} service of
 * docker-compose.cluster.yml, run once the nodes answer. With {@code CH_CLUSTER} set it runs the cluster mode
 * ({@link SchemaMode}: Replicated and Distributed tables, {@code ON CLUSTER}); otherwise the single-node mode.
 *
 * <pre>
 *   java -cp clickhouse.jar io.chanalytics.clickhouse.schema.SchemaRunner           apply
 *   java -cp clickhouse.jar io.chanalytics.clickhouse.schema.SchemaRunner --print   print the statements, connect to nothing
 * </pre>
 *
 * Environment: {@code CHANALYTICS_CLICKHOUSE_URL} (default http://localhost:8123), {@code CLICKHOUSE_USER},
 * {@code CLICKHOUSE_PASSWORD}, {@code CHANALYTICS_SCHEMA_DIR} (default: the files in this jar), {@code CH_CLUSTER},
 * and the {@code CH_*} schema variables (clickhouse/README.md).
 */
public final class SchemaRunner {

    /** The cluster to apply the schema on; unset or blank applies it to the one server as it is. */
    public static final String CLUSTER = "CH_CLUSTER";

    private static final Duration SERVER_WAIT = Duration.ofSeconds(120);

    private SchemaRunner() {}

    public static void main(String[] args) {
        Map<String, String> environment = System.getenv();
        SchemaMigrations migrations = environment.containsKey("CHANALYTICS_SCHEMA_DIR")
                ? SchemaMigrations.fromDirectory(Path.of(environment.get("CHANALYTICS_SCHEMA_DIR")))
                : SchemaMigrations.fromClasspath();
        Map<String, String> variables = SchemaVariables.fromEnvironment();
        String cluster = environment.getOrDefault(CLUSTER, "").strip();

        if (List.of(args).contains("--print")) {
            print(migrations, variables, cluster);
            return;
        }
        URI url = ClickHouseHttpSession.url(environment);
        SqlSession server = ClickHouseHttpSession.fromEnvironment(environment, Duration.ofMinutes(5));
        awaitServer(server, url);
        int statements = cluster.isEmpty()
                ? migrations.apply(server, variables)
                : migrations.applyOnCluster(server, variables, cluster);
        if (statements > 0 && cluster.isEmpty()) {
            KafkaStreams.restart(server);
        }
        System.out.printf(
                "schema: %d statements run on %s%s; %d files applied in all%n",
                statements,
                url,
                cluster.isEmpty() ? "" : " ON CLUSTER " + cluster,
                server.queryLong("SELECT count() FROM " + SchemaMigrations.LEDGER));
    }

    private static void print(SchemaMigrations migrations, Map<String, String> variables, String cluster) {
        SchemaMode mode = cluster.isEmpty() ? SchemaMode.SINGLE_NODE : SchemaMode.onCluster(cluster);
        migrations.statements(variables, mode).forEach((file, statements) -> {
            System.out.println("-- " + file);
            statements.forEach(statement -> System.out.println(statement + ";\n"));
        });
    }

    private static void awaitServer(SqlSession server, URI url) {
        long deadline = System.nanoTime() + SERVER_WAIT.toNanos();
        while (true) {
            try {
                server.query("SELECT 1");
                return;
            } catch (ChDbException e) {
                if (System.nanoTime() > deadline) {
                    throw new ChDbException("ClickHouse at " + url + " did not answer within " + SERVER_WAIT, e);
                }
                System.err.println("schema: waiting for ClickHouse at " + url + ": " + e.getMessage());
                LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            }
        }
    }
}
