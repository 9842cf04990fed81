package io.chanalytics.clickhouse.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the JVM's signal handlers in place around libchdb. The JVM relies on its SIGSEGV/SIGBUS/SIGILL/SIGFPE
 * handlers for implicit null checks and safepoints; chDB builds have been seen to reset some of them to the default
 * when connecting or when their own handlers are disabled, and a JVM without them dies on its next ordinary
 * NullPointerException. So the dispositions are read with {@code sigaction} before chDB runs and written back
 * afterwards (26.7.3 leaves them alone; the guard costs a few system calls per open and close).
 */
final class SignalHandlerGuard {

    /** Big enough for glibc's {@code struct sigaction} (152 bytes on x86-64 and aarch64). */
    private static final long SIGACTION_SIZE = 256;

    private static final int SIGKILL = 9;
    private static final int SIGSTOP = 19;
    private static final int LAST_STANDARD_SIGNAL = 31;

    private static final MethodHandle SIGACTION = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().findOrThrow("sigaction"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[] saved = new MemorySegment[LAST_STANDARD_SIGNAL + 1];

    private SignalHandlerGuard() {}

    /** Saves the current disposition of every standard signal. */
    static SignalHandlerGuard snapshot() {
        SignalHandlerGuard guard = new SignalHandlerGuard();
        for (int signal = 1; signal <= LAST_STANDARD_SIGNAL; signal++) {
            if (signal == SIGKILL || signal == SIGSTOP) {
                continue;
            }
            MemorySegment action = guard.arena.allocate(SIGACTION_SIZE);
            if (sigaction(signal, MemorySegment.NULL, action) == 0) {
                guard.saved[signal] = action;
            }
        }
        return guard;
    }

    /** Restores the saved dispositions; returns the signals whose handler had been changed. */
    List<Integer> restore() {
        List<Integer> changed = new ArrayList<>();
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment current = scratch.allocate(SIGACTION_SIZE);
            for (int signal = 1; signal <= LAST_STANDARD_SIGNAL; signal++) {
                MemorySegment action = saved[signal];
                if (action == null) {
                    continue;
                }
                sigaction(signal, MemorySegment.NULL, current);
                if (handlerOf(current) != handlerOf(action)) {
                    changed.add(signal);
                    sigaction(signal, action, MemorySegment.NULL);
                }
            }
        }
        return changed;
    }

    /** The handler address currently installed for {@code signal} (the first field of {@code struct sigaction}). */
    static long currentHandler(int signal) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment current = scratch.allocate(SIGACTION_SIZE);
            sigaction(signal, MemorySegment.NULL, current);
            return handlerOf(current);
        }
    }

    private static long handlerOf(MemorySegment action) {
        return action.get(ADDRESS, 0).address();
    }

    private static int sigaction(int signal, MemorySegment action, MemorySegment oldAction) {
        try {
            return (int) SIGACTION.invokeExact(signal, action, oldAction);
        } catch (Throwable e) {
            throw new ChDbException("sigaction(" + signal + ") failed", e);
        }
    }
}
