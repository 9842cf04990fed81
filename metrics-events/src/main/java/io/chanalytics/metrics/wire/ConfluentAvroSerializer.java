package io.chanalytics.metrics.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes a record in the Confluent wire format that ClickHouse's {@code AvroConfluent} input format, Kafka UI and the
 * Confluent deserializers read: one magic byte {@code 0x00}, the schema id as a 4-byte big-endian int, then the Avro
 * binary body (no container header, no schema).
 */
public final class ConfluentAvroSerializer {

    public static final byte MAGIC_BYTE = 0x00;
    public static final int HEADER_LENGTH = 5;

    static {
        // Avro 1.12 checks the generated classes against its trusted list when writing unions too.
        TrustedPackages.trustEventClasses();
    }

    private final EncoderFactory encoderFactory = EncoderFactory.get();

    public byte[] serialize(int schemaId, SpecificRecord record) {
        var out = new ByteArrayOutputStream(256);
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder encoder = encoderFactory.directBinaryEncoder(out, null);
        var writer = new SpecificDatumWriter<SpecificRecord>(record.getSchema());
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Avro encoding of " + record.getSchema().getFullName() + " failed", e);
        }
        return out.toByteArray();
    }
}
