package io.chanalytics.metrics.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
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
 * <p>The body is written by a {@link RecordEncoder} planned once per schema, into one reused {@link AvroBuffer}; a
 * schema the encoder cannot plan keeps Avro's {@code SpecificDatumWriter} over a buffered encoder. The publisher's
 * drain thread spent most of its time in Avro's writer (docs/benchmarks.md, benchmark 2).
 *
 * <p>Not thread-safe: an instance reuses its buffers and plans across calls (the publisher's single drain thread owns
 * one).
 */
public final class ConfluentAvroSerializer {

    public static final byte MAGIC_BYTE = 0x00;
    public static final int HEADER_LENGTH = 5;

    static {
        // Avro 1.12 checks the generated classes against its trusted list when writing unions too.
        TrustedPackages.trustEventClasses();
    }

    private final AvroBuffer buffer = new AvroBuffer();
    // Generated classes hold one Schema instance each: identity is the cheapest lookup and cannot grow past them.
    private final Map<Schema, Optional<RecordEncoder>> encoders = new IdentityHashMap<>();
    private final AvroWriters avroWriters = new AvroWriters();
    private final boolean planned;

    public ConfluentAvroSerializer() {
        this(true);
    }

    private ConfluentAvroSerializer(boolean planned) {
        this.planned = planned;
    }

    /** Avro's writer for every schema: the baseline the tests and benchmarks compare the planned encoders with. */
    public static ConfluentAvroSerializer withAvroWriter() {
        return new ConfluentAvroSerializer(false);
    }

    public byte[] serialize(int schemaId, SpecificRecord record) {
        Optional<RecordEncoder> encoder =
                planned ? encoders.computeIfAbsent(record.getSchema(), RecordEncoder::plan) : Optional.empty();
        if (encoder.isEmpty()) {
            return avroWriters.serialize(schemaId, record);
        }
        buffer.reset();
        buffer.writeByte(MAGIC_BYTE);
        buffer.writeBigEndianInt(schemaId);
        encoder.get().write(record, buffer);
        return buffer.toByteArray();
    }

    /** Avro's own writer, reusing its buffer, buffered encoder and one datum writer per schema. */
    private static final class AvroWriters {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private final Map<Schema, SpecificDatumWriter<SpecificRecord>> writers = new IdentityHashMap<>();
        private @Nullable BinaryEncoder encoder;

        byte[] serialize(int schemaId, SpecificRecord record) {
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
}
