package io.chanalytics.metrics.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a record in the Confluent wire format that ClickHouse's {@code AvroConfluent} input format, Kafka UI and the
 * Confluent deserializers read: one magic byte {@code 0x00}, the schema id as a 4-byte big-endian int, then the Avro
 * binary body (no container header, no schema).
 *
 * <p>Not thread-safe: an instance reuses its output buffer, its buffered encoder and one datum writer per schema across
 * calls (the publisher's single drain thread owns one). A profile of the publisher showed a fresh
 * {@code directBinaryEncoder} writing byte by byte into a synchronized {@code ByteArrayOutputStream}, and a
 * {@code SpecificDatumWriter} built per event, among the drain thread's largest costs.
 */
public final class ConfluentAvroSerializer {

    public static final byte MAGIC_BYTE = 0x00;
    public static final int HEADER_LENGTH = 5;

    static {
        // Avro 1.12 checks the generated classes against its trusted list when writing unions too.
        TrustedPackages.trustEventClasses();
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    // Generated classes hold one Schema instance each: identity is the cheapest lookup and cannot grow past them.
    private final Map<Schema, SpecificDatumWriter<SpecificRecord>> writers = new IdentityHashMap<>();
    private @Nullable BinaryEncoder encoder;

    public byte[] serialize(int schemaId, SpecificRecord record) {
        out.reset();
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, encoder);
        encoder = body;
        try {
            writers.computeIfAbsent(record.getSchema(), SpecificDatumWriter::new)
                    .write(record, body);
            body.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Avro encoding of " + record.getSchema().getFullName() + " failed", e);
        }
        return out.toByteArray();
    }
}
