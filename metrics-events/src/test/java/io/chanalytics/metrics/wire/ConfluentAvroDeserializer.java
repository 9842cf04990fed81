package io.chanalytics.metrics.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent wire format messages into the generated classes. The writer schema is looked up by the id in the
 * header (through the registry), the reader schema is the generated class's, so old messages stay readable after a
 * backward-compatible evolution.
 */
public final class ConfluentAvroDeserializer {

    static {
        // Avro 1.12 refuses to instantiate classes that are not explicitly trusted.
        TrustedPackages.trustEventClasses();
    }

    private final IntFunction<Schema> writerSchemaById;
    private final DecoderFactory decoderFactory = DecoderFactory.get();

    public ConfluentAvroDeserializer(IntFunction<Schema> writerSchemaById) {
        this.writerSchemaById = writerSchemaById;
    }

    public static int schemaId(byte[] message) {
        if (message == null || message.length < ConfluentAvroSerializer.HEADER_LENGTH) {
            throw new IllegalArgumentException("Not a Confluent Avro message: shorter than the 5-byte header");
        }
        if (message[0] != ConfluentAvroSerializer.MAGIC_BYTE) {
            throw new IllegalArgumentException("Not a Confluent Avro message: magic byte is " + message[0]);
        }
        return ByteBuffer.wrap(message, 1, 4).getInt();
    }

    public SpecificRecord deserialize(byte[] message) {
        Schema writerSchema = writerSchemaById.apply(schemaId(message));
        Schema readerSchema = SpecificData.get().getSchema(SpecificData.get().getClass(writerSchema));
        var reader = new SpecificDatumReader<SpecificRecord>(writerSchema, readerSchema);
        var decoder = decoderFactory.binaryDecoder(
                message,
                ConfluentAvroSerializer.HEADER_LENGTH,
                message.length - ConfluentAvroSerializer.HEADER_LENGTH,
                null);
        try {
            return reader.read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException("Avro decoding of " + writerSchema.getFullName() + " failed", e);
        }
    }
}
