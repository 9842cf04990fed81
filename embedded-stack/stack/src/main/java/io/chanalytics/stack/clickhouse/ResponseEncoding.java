package io.chanalytics.stack.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * How a result goes back, as the client asked: ClickHouse's own blocks for {@code compress=1}, or HTTP compression
 * ({@code Content-Encoding}) when {@code enable_http_compression=1} and {@code Accept-Encoding} name one this
 * interface writes (gzip, deflate, lz4). Brotli, zstd and xz are not written here; such a client gets the body
 * uncompressed and without {@code Content-Encoding}, which every HTTP client reads.
 */
record ResponseEncoding(boolean nativeBlocks, Optional<String> contentEncoding, int zlibLevel) {

    static final ResponseEncoding NONE = new ResponseEncoding(false, Optional.empty(), Deflater.DEFAULT_COMPRESSION);

    static ResponseEncoding of(boolean compress, boolean httpCompression, String acceptEncoding, int zlibLevel) {
        if (compress) {
            return new ResponseEncoding(true, Optional.empty(), zlibLevel);
        }
        if (!httpCompression || acceptEncoding == null) {
            return NONE;
        }
        String accepted = acceptEncoding.toLowerCase(Locale.ROOT);
        for (String encoding : new String[] {"gzip", "deflate", "lz4"}) {
            if (accepted.contains(encoding)) {
                return new ResponseEncoding(false, Optional.of(encoding), zlibLevel);
            }
        }
        return NONE;
    }

    byte[] encode(byte[] body) {
        if (nativeBlocks) {
            return NativeCompression.compress(body);
        }
        if (contentEncoding.isEmpty()) {
            return body;
        }
        var out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (OutputStream encoder = encoder(out)) {
            encoder.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private OutputStream encoder(OutputStream out) throws IOException {
        return switch (contentEncoding.orElseThrow()) {
            case "gzip" ->
                new GZIPOutputStream(out) {
                    {
                        def.setLevel(zlibLevel);
                    }
                };
            case "deflate" -> new DeflaterOutputStream(out, new Deflater(zlibLevel));
            default -> new LZ4FrameOutputStream(out);
        };
    }
}
