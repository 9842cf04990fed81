package io.chanalytics.metrics.wire;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Writes one kind of flat record (the events: primitives, enums, two-branch unions with null, logical types) in Avro's
 * binary encoding, planned once from its schema: what each field is, where its null branch lies and which conversion
 * its logical type needs are decided here, not per event as Avro's {@code GenericDatumWriter} does (a JFR profile of
 * the publisher put union resolution, conversion lookup and per-string UTF-8 arrays at most of the drain thread's
 * time). A schema with anything else (nested records, arrays, maps, fixed, bytes, floats, booleans, wider unions: none in the events) has no plan, and the caller
 * keeps Avro's writer for it. {@code RecordEncoderTests} holds the output to Avro's, byte for byte.
 */
final class RecordEncoder {

    private final String recordName;
    private final Field[] fields;
    // The model SpecificDatumWriter(schema) writes with: the generated class's, with its logical types' conversions.
    private final SpecificData model;

    private RecordEncoder(Schema schema, Field[] fields) {
        this.recordName = schema.getFullName();
        this.fields = fields;
        this.model = SpecificData.getForSchema(schema);
    }

    /** A plan for the schema, or empty when it holds a type this encoder does not write. */
    static Optional<RecordEncoder> plan(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            return Optional.empty();
        }
        List<Field> planned = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            Optional<Field> writer = Field.plan(field);
            if (writer.isEmpty()) {
                return Optional.empty();
            }
            planned.add(writer.get());
        }
        return Optional.of(new RecordEncoder(schema, planned.toArray(Field[]::new)));
    }

    void write(SpecificRecord record, AvroBuffer out) {
        for (Field field : fields) {
            Object value = record.get(field.position);
            if (field.nullBranch >= 0) {
                if (value == null) {
                    out.writeInt(field.nullBranch);
                    continue;
                }
                out.writeInt(field.valueBranch);
            } else if (value == null) {
                throw new NullPointerException(
                        "null value for the non-nullable field " + field.name + " of " + recordName);
            }
            write(field, value, record, out);
        }
    }

    private void write(Field field, Object value, SpecificRecord record, AvroBuffer out) {
        switch (field.kind) {
            case STRING -> out.writeString(value.toString());
            case INT -> out.writeInt((Integer) value);
            case LONG -> out.writeLong((Long) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case ENUM -> out.writeInt(((Enum<?>) value).ordinal());
            // A class generated without the logical types' conversions holds the raw string and long.
            case UUID -> {
                if (value instanceof UUID uuid) {
                    out.writeUuid(uuid);
                } else {
                    out.writeString(value.toString());
                }
            }
            case TIMESTAMP_MILLIS ->
                out.writeLong(value instanceof Instant instant ? instant.toEpochMilli() : (Long) value);
            case CONVERTED -> writeConverted(field, value, record, out);
        }
    }

    /**
     * Any other logical type: Avro's own conversion to the raw type (a decimal's unscaled bytes), then that type. As in
     * {@code SpecificDatumWriter}: a field's own conversion from the generated class, a union branch's from the model.
     */
    private void writeConverted(Field field, Object value, SpecificRecord record, AvroBuffer out) {
        LogicalType logicalType = field.valueSchema.getLogicalType();
        Conversion<?> conversion = field.nullBranch < 0 && record instanceof SpecificRecordBase generated
                ? generated.getConversion(field.position)
                : model.getConversionByClass(value.getClass(), logicalType);
        Object raw = conversion == null
                ? value
                : Conversions.convertToRawType(
                        value, field.valueSchema, field.valueSchema.getLogicalType(), conversion);
        switch (field.valueSchema.getType()) {
            case BYTES -> out.writeBytes((ByteBuffer) raw);
            case STRING -> out.writeString(raw.toString());
            case INT -> out.writeInt((Integer) raw);
            case LONG -> out.writeLong((Long) raw);
            default -> throw new IllegalStateException("unplanned raw type " + field.valueSchema);
        }
    }

    private enum Kind {
        STRING,
        INT,
        LONG,
        DOUBLE,
        ENUM,
        UUID,
        TIMESTAMP_MILLIS,
        CONVERTED
    }

    /**
     * One field: its position, its kind, and for a union with null the indexes Avro writes before the value (-1 when
     * the field is not nullable).
     */
    private record Field(String name, int position, Kind kind, Schema valueSchema, int nullBranch, int valueBranch) {

        static Optional<Field> plan(Schema.Field field) {
            Schema schema = field.schema();
            if (schema.getType() != Schema.Type.UNION) {
                return kindOf(schema).map(kind -> new Field(field.name(), field.pos(), kind, schema, -1, -1));
            }
            List<Schema> branches = schema.getTypes();
            if (branches.size() != 2 || branches.stream().noneMatch(branch -> branch.getType() == Schema.Type.NULL)) {
                return Optional.empty();
            }
            int nullBranch = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
            Schema value = branches.get(1 - nullBranch);
            return kindOf(value)
                    .map(kind -> new Field(field.name(), field.pos(), kind, value, nullBranch, 1 - nullBranch));
        }

        private static Optional<Kind> kindOf(Schema schema) {
            LogicalType logical = schema.getLogicalType();
            if (logical != null) {
                if (logical instanceof LogicalTypes.TimestampMillis && schema.getType() == Schema.Type.LONG) {
                    return Optional.of(Kind.TIMESTAMP_MILLIS);
                }
                if (logical.getName().equals("uuid") && schema.getType() == Schema.Type.STRING) {
                    return Optional.of(Kind.UUID);
                }
                return switch (schema.getType()) {
                    case BYTES, STRING, INT, LONG -> Optional.of(Kind.CONVERTED);
                    default -> Optional.empty();
                };
            }
            return switch (schema.getType()) {
                case STRING -> Optional.of(Kind.STRING);
                case INT -> Optional.of(Kind.INT);
                case LONG -> Optional.of(Kind.LONG);
                case DOUBLE -> Optional.of(Kind.DOUBLE);
                case ENUM -> Optional.of(Kind.ENUM);
                default -> Optional.empty();
            };
        }
    }
}
