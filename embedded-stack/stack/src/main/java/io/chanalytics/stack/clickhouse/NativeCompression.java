package io.chanalytics.stack.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * ClickHouse's own compressed blocks, which its HTTP interface sends for {@code compress=1} and reads for
 * {@code decompress=1} (the official Java client asks for them by default): per block a CityHash128 of the rest,
 * the method byte {@code 0x82} (LZ4), the compressed size including the 9-byte header, the original size, then one
 * raw LZ4 block.
 */
final class NativeCompression {

    static final int BLOCK_SIZE = 1 << 20;

    private static final byte LZ4 = (byte) 0x82;
    private static final int CHECKSUM = 16;
    private static final int HEADER = 9;
    private static final LZ4Factory LZ4_FACTORY = LZ4Factory.fastestJavaInstance();

    private NativeCompression() {}

    static byte[] compress(byte[] data) {
        LZ4Compressor compressor = LZ4_FACTORY.fastCompressor();
        var out = new ByteArrayOutputStream(data.length / 2 + 64);
        for (int offset = 0; offset < data.length; offset += BLOCK_SIZE) {
            int length = Math.min(BLOCK_SIZE, data.length - offset);
            byte[] block = new byte[CHECKSUM + HEADER + compressor.maxCompressedLength(length)];
            int compressed = compressor.compress(data, offset, length, block, CHECKSUM + HEADER);
            ByteBuffer header = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
            header.put(CHECKSUM, LZ4).putInt(CHECKSUM + 1, HEADER + compressed).putInt(CHECKSUM + 5, length);
            long[] hash = ClickHouseCityHash.cityHash128(block, CHECKSUM, HEADER + compressed);
            header.putLong(0, hash[0]).putLong(8, hash[1]);
            out.write(block, 0, CHECKSUM + HEADER + compressed);
        }
        return out.toByteArray();
    }

    /** Decodes blocks as {@link #compress} writes them, checking each checksum. */
    static byte[] decompress(byte[] blocks) {
        LZ4SafeDecompressor decompressor = LZ4_FACTORY.safeDecompressor();
        var out = new ByteArrayOutputStream(blocks.length * 2);
        ByteBuffer in = ByteBuffer.wrap(blocks).order(ByteOrder.LITTLE_ENDIAN);
        int position = 0;
        while (position < blocks.length) {
            if (blocks.length - position < CHECKSUM + HEADER) {
                throw corrupt("a block header is cut short at byte " + position);
            }
            if (blocks[position + CHECKSUM] != LZ4) {
                throw corrupt(String.format(
                        "unknown compression method 0x%02x (only LZ4, 0x82, is supported)",
                        blocks[position + CHECKSUM]));
            }
            int compressedWithHeader = in.getInt(position + CHECKSUM + 1);
            int original = in.getInt(position + CHECKSUM + 5);
            if (compressedWithHeader < HEADER
                    || compressedWithHeader > blocks.length - position - CHECKSUM
                    || original < 0
                    || original > 64 * BLOCK_SIZE) {
                throw corrupt("block sizes out of range at byte " + position);
            }
            long[] hash = ClickHouseCityHash.cityHash128(blocks, position + CHECKSUM, compressedWithHeader);
            if (hash[0] != in.getLong(position) || hash[1] != in.getLong(position + 8)) {
                throw corrupt("checksum mismatch at byte " + position);
            }
            byte[] block = new byte[original];
            try {
                int length = decompressor.decompress(
                        blocks, position + CHECKSUM + HEADER, compressedWithHeader - HEADER, block, 0);
                if (length != original) {
                    throw corrupt("a block decompressed to " + length + " bytes instead of " + original);
                }
            } catch (LZ4Exception e) {
                throw corrupt("invalid LZ4 data at byte " + position);
            }
            out.write(block, 0, original);
            position += CHECKSUM + compressedWithHeader;
        }
        return out.toByteArray();
    }

    private static ClickHouseError corrupt(String why) {
        return ClickHouseError.of(ClickHouseError.Code.CANNOT_DECOMPRESS, "Cannot decompress the request body: " + why);
    }
}
