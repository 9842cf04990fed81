package io.chanalytics.metrics.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * A growable byte array written in Avro's binary encoding (the specification's "Binary Encoding"): ints and longs as
 * zig-zag varints, doubles as 8 bytes little-endian, strings and bytes as a length then the content. Avro's own
 * encoder turns every string into a fresh UTF-8 array and copies it through a buffered stream; here an ASCII string
 * (every value the services record but free text) is written char by char into the one array, and anything else takes
 * the same {@code String.getBytes(UTF_8)} Avro takes, so the bytes are Avro's in both cases.
 */
final class AvroBuffer {

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The length of {@link UUID#toString()}, which is what Avro writes for a {@code uuid}. */
    private static final int UUID_LENGTH = 36;

    private byte[] bytes = new byte[512];
    private int size;

    void reset() {
        size = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    /** Four bytes, most significant first (the Confluent header's schema id, not an Avro encoding). */
    void writeBigEndianInt(int value) {
        ensure(4);
        BIG_ENDIAN_INT.set(bytes, size, value);
        size += 4;
    }

    /** An Avro int: the zig-zag varint of the same value as a long is the same bytes. */
    void writeInt(int value) {
        writeLong(value);
    }

    void writeLong(long value) {
        ensure(10);
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((zigZag & 0x7F) | 0x80);
            zigZag >>>= 7;
        }
        bytes[size++] = (byte) zigZag;
    }

    void writeDouble(double value) {
        ensure(8);
        LITTLE_ENDIAN_LONG.set(bytes, size, Double.doubleToRawLongBits(value));
        size += 8;
    }

    /**
     * Assumes ASCII, where the UTF-8 length is the char count, and starts over with the UTF-8 bytes at the first char
     * that is not: what this writes is always Avro's bytes for the string.
     */
    void writeString(String value) {
        int length = value.length();
        int start = size;
        writeLong(length);
        ensure(length);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                size = start;
                writeBytes(value.getBytes(StandardCharsets.UTF_8));
                return;
            }
            bytes[size++] = (byte) c;
        }
    }

    /** {@code uuid.toString()} without the string: 8-4-4-4-12 lowercase hex digits. */
    void writeUuid(UUID value) {
        writeLong(UUID_LENGTH);
        ensure(UUID_LENGTH);
        writeHex(value.getMostSignificantBits() >>> 32, 8);
        bytes[size++] = '-';
        writeHex(value.getMostSignificantBits() >>> 16, 4);
        bytes[size++] = '-';
        writeHex(value.getMostSignificantBits(), 4);
        bytes[size++] = '-';
        writeHex(value.getLeastSignificantBits() >>> 48, 4);
        bytes[size++] = '-';
        writeHex(value.getLeastSignificantBits(), 12);
    }

    void writeBytes(byte[] value) {
        writeLong(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, bytes, size, value.length);
        size += value.length;
    }

    /** The remaining bytes of {@code value}, as Avro writes a {@code bytes} value; its position is left as it was. */
    void writeBytes(ByteBuffer value) {
        int length = value.remaining();
        writeLong(length);
        ensure(length);
        value.get(value.position(), bytes, size, length);
        size += length;
    }

    /** The low {@code digits} hex digits of {@code value}, most significant first. */
    private void writeHex(long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            bytes[size + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
        size += digits;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
