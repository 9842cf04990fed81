package io.chanalytics.clickhouse.schema;

import io.chanalytics.clickhouse.engine.ChDbException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single-node schema statements rewritten for a cluster of shards and replicas (docker-compose.cluster.yml), so
 * the numbered files stay the only copy of the schema:
 *
 * <ul>
 *   <li>a MergeTree-family table {@code db.t} becomes {@code db.t_local} with the Replicated engine of its family
 *       (one Keeper path per shard, one replica name per node), plus {@code db.t}, a {@code Distributed} table over
 *       every shard's {@code t_local}: dashboards and queries keep their table names;
 *   <li>materialized views write to (and read from) the {@code _local} tables, so rows are written on the node that
 *       consumed them and replicate within its shard;
 *   <li>Kafka and other tables, views, databases, drops and alters run {@code ON CLUSTER}: every node gets its own
 *       Kafka tables, all in one consumer group per stream, so the topic's partitions spread over the nodes;
 *   <li>an {@code ALTER} of a sharded table changes the local tables and, for column changes, the Distributed one.
 * </ul>
 *
 * <p>A statement this does not know how to map is an error, so a new schema file cannot silently skip the cluster.
 * Instances are stateful: they learn which tables are sharded from the statements they map, so every file must be
 * mapped in order, applied or not.
 */
public final class ClusterSchema {

    /** Suffix of the per-node tables under a Distributed table. */
    public static final String LOCAL_SUFFIX = "_local";

    private static final Pattern CREATE_DATABASE =
            Pattern.compile("(?is)^(CREATE\\s+DATABASE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\\w+)(.*)$");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?is)^(CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)(\\w+)\\.(\\w+)(.*)$");
    private static final Pattern MERGE_TREE_ENGINE =
            Pattern.compile("(?s)\\bENGINE\\s*=\\s*(\\w*)MergeTree\\b(?:\\s*\\(([^)]*)\\))?");
    private static final Pattern CREATE_VIEW = Pattern.compile(
            "(?is)^(CREATE\\s+(?:MATERIALIZED\\s+)?VIEW\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)(\\w+)\\.(\\w+)(.*)$");
    private static final Pattern DROP_TABLE =
            Pattern.compile("(?is)^(DROP\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?)(\\w+)\\.(\\w+)\\s*$");
    private static final Pattern ALTER_TABLE = Pattern.compile("(?is)^ALTER\\s+TABLE\\s+(\\w+)\\.(\\w+)\\s+(.*)$");
    // Distributed tables accept column changes only (StorageDistributed::checkAlterIsPossible).
    private static final Pattern COLUMN_CHANGE =
            Pattern.compile("(?is)^(ADD|DROP|MODIFY|RENAME|COMMENT)\\s+COLUMN\\b.*");
    private static final Pattern INSERT = Pattern.compile("(?is)^INSERT\\s+INTO\\s.*");

    private final String cluster;
    private final Set<String> sharded = new LinkedHashSet<>();

    public ClusterSchema(String cluster) {
        if (!cluster.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a cluster name: '" + cluster + "'");
        }
        this.cluster = cluster;
    }

    public String cluster() {
        return cluster;
    }

    /** The statements that do on the cluster what {@code statement} (comments removed) does on one node. */
    public List<String> map(String statement) {
        String sql = statement.strip();
        Matcher m;
        if ((m = CREATE_DATABASE.matcher(sql)).matches()) {
            return List.of(m.group(1) + onCluster() + m.group(2));
        }
        if ((m = CREATE_TABLE.matcher(sql)).matches()) {
            return createTable(m.group(1), m.group(2), m.group(3), m.group(4));
        }
        if ((m = CREATE_VIEW.matcher(sql)).matches()) {
            return List.of(m.group(1) + m.group(2) + "." + m.group(3) + onCluster() + toLocal(m.group(4)));
        }
        if ((m = DROP_TABLE.matcher(sql)).matches()) {
            return dropTable(m.group(1), m.group(2), m.group(3));
        }
        if ((m = ALTER_TABLE.matcher(sql)).matches()) {
            return alterTable(m.group(1), m.group(2), m.group(3));
        }
        if (INSERT.matcher(sql).matches()) {
            // Run once, through the Distributed tables: it reads every shard and spreads what it writes.
            return List.of(sql);
        }
        throw new ChDbException("The cluster mode has no mapping for this statement; add one to ClusterSchema: " + sql);
    }

    /**
     * The schema ledger's table, one copy on every node: replicated under a single Keeper path (no shard in it), so
     * every node knows which files the cluster has applied.
     */
    public String ledger(String singleNodeDdl) {
        Matcher m = CREATE_TABLE.matcher(singleNodeDdl.strip());
        if (!m.matches()) {
            throw new ChDbException("Not a CREATE TABLE: " + singleNodeDdl);
        }
        String table = m.group(2) + "." + m.group(3);
        return m.group(1)
                + table
                + onCluster()
                + replicated(m.group(4), "/clickhouse/tables/all/" + m.group(2) + "/" + m.group(3));
    }

    private List<String> createTable(String create, String database, String table, String rest) {
        if (!MERGE_TREE_ENGINE.matcher(rest).find()) {
            return List.of(create + database + "." + table + onCluster() + rest);
        }
        String local = table + LOCAL_SUFFIX;
        sharded.add(database + "." + table);
        return List.of(
                create + database + "." + local + onCluster()
                        + replicated(rest, "/clickhouse/tables/{shard}/" + database + "/" + local),
                // rand(): the views write on the consuming node and never through this table; a direct INSERT (a
                // backfill) spreads evenly, and every reader merges all shards, so no key needs rows together.
                create + database + "." + table + onCluster() + " AS " + database + "." + local
                        + " ENGINE = Distributed(" + cluster + ", " + database + ", " + local + ", rand())");
    }

    private List<String> dropTable(String drop, String database, String table) {
        String name = database + "." + table;
        // SYNC: a table created again under the same name right after must not find the old one's Keeper path.
        if (sharded.remove(name)) {
            return List.of(drop + name + onCluster() + " SYNC", drop + name + LOCAL_SUFFIX + onCluster() + " SYNC");
        }
        return List.of(drop + name + onCluster() + " SYNC");
    }

    private List<String> alterTable(String database, String table, String change) {
        String name = database + "." + table;
        if (!sharded.contains(name)) {
            return List.of("ALTER TABLE " + name + onCluster() + " " + change);
        }
        List<String> statements = new ArrayList<>();
        statements.add("ALTER TABLE " + name + LOCAL_SUFFIX + onCluster() + " " + change);
        if (COLUMN_CHANGE.matcher(change.strip()).matches()) {
            statements.add("ALTER TABLE " + name + onCluster() + " " + change);
        }
        return statements;
    }

    /** {@code ENGINE = XMergeTree(args)} to {@code ENGINE = ReplicatedXMergeTree('path', '{replica}', args)}. */
    private static String replicated(String rest, String keeperPath) {
        Matcher engine = MERGE_TREE_ENGINE.matcher(rest);
        if (!engine.find()) {
            throw new ChDbException("No MergeTree engine in: " + rest);
        }
        String arguments = engine.group(2) == null || engine.group(2).isBlank()
                ? ""
                : ", " + engine.group(2).strip();
        String replacement = "ENGINE = Replicated" + engine.group(1) + "MergeTree('" + keeperPath + "', '{replica}'"
                + arguments + ")";
        return rest.substring(0, engine.start()) + replacement + rest.substring(engine.end());
    }

    /** Every sharded table named in {@code sql} as its local table. */
    private String toLocal(String sql) {
        String mapped = sql;
        for (String name : sharded) {
            mapped = mapped.replaceAll(
                    "(?<![\\w.])" + Pattern.quote(name) + "(?!\\w)", Matcher.quoteReplacement(name + LOCAL_SUFFIX));
        }
        return mapped;
    }

    private String onCluster() {
        return " ON CLUSTER " + cluster;
    }
}
