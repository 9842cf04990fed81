package io.chanalytics.clickhouse.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the schema files are applied: one node, or every node of a cluster of shards and replicas
 * (docker-compose.cluster.yml). The files are written once for both, with placeholders this fills for the mode, as
 * PostHog's schema fills its {@code {on_cluster_clause}} and {@code {engine}}:
 *
 * <ul>
 *   <li>{@code ${ON_CLUSTER}}: nothing, or {@code ON CLUSTER <cluster>} (every node runs the DDL);
 *   <li>{@code ${LOCAL}}: the suffix of a table that holds rows: nothing, or {@code _local}, the per-node table under
 *       a {@code Distributed} one of the plain name, so readers keep their table names and views write on the node
 *       that consumed the rows;
 *   <li>{@code ${REPLICATED}} and {@code ${REPLICA}} around a MergeTree family name: nothing, or its Replicated engine
 *       with one Keeper path per shard and table ({@code {shard}}, {@code {database}} and {@code {table}} are the
 *       server's macros) and one replica name per node;
 *   <li>{@code ${CLUSTER}}: the cluster's name, for {@code Distributed} engines;
 *   <li>{@code ${CLUSTER_ONLY}} at the start of a statement: the statement runs in the cluster only (a
 *       {@code Distributed} table, an ALTER of one).
 * </ul>
 *
 * The {@code ${VAR}} schema variables ({@link SchemaVariables}) are filled after these, escaped as string literals.
 */
public record SchemaMode(String cluster) {

    public static final SchemaMode SINGLE_NODE = new SchemaMode("");

    /** Suffix of the per-node tables under a Distributed table. */
    public static final String LOCAL_SUFFIX = "_local";

    /** The placeholders this fills, apart from the schema variables. */
    public static final Set<String> PLACEHOLDERS =
            Set.of("ON_CLUSTER", "LOCAL", "REPLICATED", "REPLICA", "CLUSTER", "CLUSTER_ONLY");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(" + String.join("|", PLACEHOLDERS) + ")}");
    private static final String REPLICA_ARGUMENTS = "('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')";
    // A token no SQL holds, so it survives the split into statements (comments do not) and marks the statement.
    private static final String CLUSTER_ONLY = "@cluster-only@";

    public SchemaMode {
        if (!cluster.isEmpty() && !cluster.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Not a cluster name: '" + cluster + "'");
        }
    }

    public static SchemaMode onCluster(String cluster) {
        if (cluster.isBlank()) {
            throw new IllegalArgumentException("A cluster needs a name");
        }
        return new SchemaMode(cluster);
    }

    public boolean clustered() {
        return !cluster.isEmpty();
    }

    /** The statements {@code script} runs in this mode, with {@code variables} filled in and comments left out. */
    public List<String> statements(SqlScript script, Map<String, String> variables) {
        SqlScript filled = new SqlScript(script.name(), fill(script.text())).substitute(variables);
        List<String> statements = new ArrayList<>();
        for (String statement : filled.statementsWithoutComments()) {
            if (!statement.contains(CLUSTER_ONLY)) {
                statements.add(statement);
            } else if (clustered()) {
                statements.add(statement.replace(CLUSTER_ONLY, "").strip());
            }
        }
        return statements;
    }

    /**
     * A statement of this mode as one engine without Keeper runs it, for tests and benchmarks of the cluster mode on
     * the embedded engine: without {@code ON CLUSTER}, and with each Replicated engine's plain family.
     */
    public String withoutKeeper(String statement) {
        return statement
                .replace(" ON CLUSTER " + cluster, "")
                .replace("Replicated", "")
                .replace(REPLICA_ARGUMENTS, "");
    }

    /**
     * The schema ledger's table: on one node as it is; in a cluster one copy on every node, replicated under a single
     * Keeper path (no shard in it), so every node knows which files the cluster has applied.
     */
    public String ledgerDdl(String ledger) {
        return "CREATE TABLE IF NOT EXISTS " + ledger + (clustered() ? " ON CLUSTER " + cluster : "")
                + " (file String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)) ENGINE = "
                // One Keeper path for the whole cluster (no {shard}); the server's macros name the table in it.
                + (clustered()
                        ? "ReplicatedMergeTree('/clickhouse/tables/all/{database}/{table}', '{replica}')"
                        : "MergeTree")
                + " ORDER BY file";
    }

    private String fill(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ON_CLUSTER", clustered() ? "ON CLUSTER " + cluster : "");
        values.put("LOCAL", clustered() ? LOCAL_SUFFIX : "");
        values.put("REPLICATED", clustered() ? "Replicated" : "");
        values.put("REPLICA", clustered() ? REPLICA_ARGUMENTS : "");
        values.put("CLUSTER", clustered() ? cluster : "none");
        values.put("CLUSTER_ONLY", CLUSTER_ONLY);
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(out, Matcher.quoteReplacement(values.get(placeholder.group(1))));
        }
        placeholder.appendTail(out);
        return out.toString();
    }
}
