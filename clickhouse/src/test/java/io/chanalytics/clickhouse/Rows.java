package io.chanalytics.clickhouse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.clickhouse.engine.ChDb;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Rows compared field for field: an Avro event and a ClickHouse row both become a map from the Avro field name to a
 * canonical text (numbers without trailing zeros, timestamps as epoch milliseconds, UUIDs and enums as text).
 */
final class Rows {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private Rows() {}

    /** The event's fields, by Avro field name (= column name). */
    static Map<String, String> of(SpecificRecord event) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Schema.Field field : event.getSchema().getFields()) {
            row.put(field.name(), canonical(event.get(field.pos())));
        }
        return row;
    }

    /** Runs {@code sql} as JSONEachRow; keeps only {@code columns} of each row. */
    static List<Map<String, String>> query(ChDb engine, String sql, List<String> columns) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : engine.query(sql, "JSONEachRow").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = readTree(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (String column : columns) {
                row.put(column, canonical(node.get(column)));
            }
            rows.add(row);
        }
        return rows;
    }

    static List<String> fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException("Not JSON: " + line, e);
        }
    }

    private static String canonical(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return plain(node.decimalValue());
        }
        return node.asText();
    }

    private static String canonical(Object value) {
        return switch (value) {
            case null -> null;
            case UUID uuid -> uuid.toString();
            case Instant instant -> Long.toString(instant.toEpochMilli());
            case BigDecimal decimal -> plain(decimal);
            case Number number -> plain(new BigDecimal(number.toString()));
            default -> value.toString();
        };
    }

    private static String plain(BigDecimal decimal) {
        return decimal.stripTrailingZeros().toPlainString();
    }

    /** Keys a list of rows by one column, for lookups. */
    static Map<String, Map<String, String>> byColumn(List<Map<String, String>> rows, String column) {
        Map<String, Map<String, String>> keyed = new LinkedHashMap<>();
        for (Iterator<Map<String, String>> it = rows.iterator(); it.hasNext(); ) {
            Map<String, String> row = it.next();
            keyed.put(row.get(column), row);
        }
        return keyed;
    }
}
