package io.chanalytics.clickhouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Whether a Kafka engine table can read every field of an Avro record ({@code AvroConfluent} matches by name): each
 * field needs a column of a type ClickHouse reads it into, and each column a field, or a message either loses a
 * value or fails to parse. The type rules are ClickHouse's Avro input mapping (its docs' "Avro data types" table).
 */
public final class EventColumnContract {

    private EventColumnContract() {}

    /** Every mismatch between {@code record} and the table's {@code columns} (name to ClickHouse type), as text. */
    public static List<String> mismatches(Schema record, Map<String, String> columns) {
        List<String> problems = new ArrayList<>();
        Map<String, String> unmatched = new LinkedHashMap<>(columns);
        for (Schema.Field field : record.getFields()) {
            String column = unmatched.remove(field.name());
            if (column == null) {
                problems.add("field " + field.name() + " has no column");
            } else if (!readable(field.schema(), column)) {
                problems.add("field " + field.name() + " (" + field.schema() + ") cannot be read into " + column);
            }
        }
        unmatched.keySet().forEach(name -> problems.add("column " + name + " has no field"));
        return problems;
    }

    static boolean readable(Schema avro, String column) {
        String type = unwrap(column, "LowCardinality");
        boolean nullableColumn = type.startsWith("Nullable(");
        type = unwrap(type, "Nullable");
        type = unwrap(type, "LowCardinality");
        if (avro.getType() == Schema.Type.UNION) {
            List<Schema> branches = avro.getTypes().stream()
                    .filter(s -> s.getType() != Schema.Type.NULL)
                    .toList();
            boolean optional = branches.size() < avro.getTypes().size();
            return branches.size() == 1 && optional == nullableColumn && readable(branches.getFirst(), type);
        }
        if (nullableColumn) {
            return false;
        }
        var logical = avro.getLogicalType();
        return switch (avro.getType()) {
            case STRING ->
                logical != null && logical.getName().equals("uuid")
                        ? type.equals("UUID") || type.equals("String")
                        : type.equals("String") || type.startsWith("FixedString(") || type.startsWith("Enum");
            case ENUM -> type.startsWith("Enum") || type.equals("String");
            case LONG ->
                logical instanceof LogicalTypes.TimestampMillis
                        ? type.startsWith("DateTime64(3")
                        : type.matches("U?Int(64|128|256)|DateTime64\\(.*");
            case INT -> type.matches("U?Int(8|16|32|64)");
            case DOUBLE -> type.equals("Float64");
            case FLOAT -> type.matches("Float(32|64)");
            case BOOLEAN -> type.equals("Bool") || type.equals("UInt8");
            case BYTES, FIXED ->
                logical instanceof LogicalTypes.Decimal decimal
                        ? type.matches(
                                "Decimal(\\d+)?\\(" + (type.startsWith("Decimal(") ? decimal.getPrecision() + ", " : "")
                                        + decimal.getScale() + "\\)")
                        : type.equals("String");
            default -> false;
        };
    }

    private static String unwrap(String type, String wrapper) {
        String prefix = wrapper + "(";
        return type.startsWith(prefix) && type.endsWith(")")
                ? type.substring(prefix.length(), type.length() - 1)
                : type;
    }
}
