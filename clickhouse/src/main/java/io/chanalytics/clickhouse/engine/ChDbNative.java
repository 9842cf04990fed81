package io.chanalytics.clickhouse.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The few functions of chDB's C API ({@code chdb.h}) this module calls, bound once per process. A process can
 * load only one libchdb, so asking for a second, different path is an error.
 */
final class ChDbNative {

    private static ChDbNative loaded;

    final Path library;
    final MethodHandle connect; // chdb_connection* chdb_connect(int argc, char** argv)
    final MethodHandle closeConnection; // void chdb_close_conn(chdb_connection* conn)
    final MethodHandle queryN; // chdb_result* chdb_query_n(chdb_connection, const char*, size_t, const char*, size_t)
    final MethodHandle resultBuffer; // char* chdb_result_buffer(chdb_result*)
    final MethodHandle resultLength; // size_t chdb_result_length(chdb_result*)
    final MethodHandle resultError; // const char* chdb_result_error(chdb_result*)
    final MethodHandle destroyResult; // void chdb_destroy_query_result(chdb_result*)
    // chdb_result* chdb_query_with_params_n(conn, query, len, format, len, names, name_lens, values, value_lens, count)
    final MethodHandle queryWithParamsN;
    final MethodHandle resultRowsRead; // uint64_t chdb_result_rows_read(chdb_result*): rows in the result
    final MethodHandle resultBytesRead; // uint64_t chdb_result_bytes_read(chdb_result*): result bytes, internal form
    final MethodHandle resultStorageRowsRead; // uint64_t chdb_result_storage_rows_read(chdb_result*)
    final MethodHandle resultStorageBytesRead; // uint64_t chdb_result_storage_bytes_read(chdb_result*)
    final MethodHandle resultElapsed; // double chdb_result_elapsed(chdb_result*): seconds
    // chdb_state chdb_classify_query_n(conn, sql, len, target_db, len, chdb_query_analysis_v1* out)
    final MethodHandle classifyQueryN;
    private final MethodHandle setSignalHandlersEnabled; // void chdb_set_signal_handlers_enabled(int)

    private ChDbNative(Path library) {
        this.library = library;
        SymbolLookup symbols;
        try {
            symbols = SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            throw new ChDbException(
                    "Cannot load " + library + ": " + e.getMessage()
                            + ". The JVM needs --enable-native-access=ALL-UNNAMED and the file must be a libchdb.so"
                            + " for this platform (scripts/fetch-chdb.sh fetches one).",
                    e);
        }
        Linker linker = Linker.nativeLinker();
        connect = linker.downcallHandle(
                symbols.findOrThrow("chdb_connect"), FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        closeConnection =
                linker.downcallHandle(symbols.findOrThrow("chdb_close_conn"), FunctionDescriptor.ofVoid(ADDRESS));
        queryN = linker.downcallHandle(
                symbols.findOrThrow("chdb_query_n"),
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        resultBuffer = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_buffer"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_length"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultError = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_error"), FunctionDescriptor.of(ADDRESS, ADDRESS));
        destroyResult = linker.downcallHandle(
                symbols.findOrThrow("chdb_destroy_query_result"), FunctionDescriptor.ofVoid(ADDRESS));
        queryWithParamsN = linker.downcallHandle(
                symbols.findOrThrow("chdb_query_with_params_n"),
                FunctionDescriptor.of(
                        ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                        JAVA_LONG));
        resultRowsRead = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_rows_read"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesRead = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_bytes_read"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultStorageRowsRead = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_storage_rows_read"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultStorageBytesRead = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_storage_bytes_read"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultElapsed = linker.downcallHandle(
                symbols.findOrThrow("chdb_result_elapsed"), FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        classifyQueryN = linker.downcallHandle(
                symbols.findOrThrow("chdb_classify_query_n"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
        setSignalHandlersEnabled = linker.downcallHandle(
                symbols.findOrThrow("chdb_set_signal_handlers_enabled"), FunctionDescriptor.ofVoid(JAVA_INT));
        disableChDbSignalHandlers();
    }

    static synchronized ChDbNative load(Path library) {
        Path normalized = library.toAbsolutePath().normalize();
        if (loaded == null) {
            loaded = new ChDbNative(normalized);
        } else if (!loaded.library.equals(normalized)) {
            throw new ChDbException("This process already loaded " + loaded.library + "; it cannot load " + normalized);
        }
        return loaded;
    }

    /** The JVM owns signal handling: chDB must not install its own, and the side effects of saying so are undone. */
    private void disableChDbSignalHandlers() {
        SignalHandlerGuard guard = SignalHandlerGuard.snapshot();
        try {
            setSignalHandlersEnabled.invokeExact(0);
        } catch (Throwable e) {
            throw new ChDbException("chdb_set_signal_handlers_enabled failed", e);
        } finally {
            guard.restore();
        }
    }

    static String readCString(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            return null;
        }
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
