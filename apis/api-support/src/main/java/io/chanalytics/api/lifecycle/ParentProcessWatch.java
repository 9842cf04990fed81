package io.chanalytics.api.lifecycle;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action once a given process has ended. The embedded stack starts each service as its child and names itself
 * in {@code CHANALYTICS_PARENT_PID}: when the stack dies without stopping its services (SIGKILL, the OOM killer, a
 * native crash), a service would otherwise live on as an orphan, holding its port so that the next start fails.
 *
 * <p>The JDK watches a process that is not this one's child by polling its liveness (from 0.3 s backing off to 5 s)
 * and compares its start time, so a recycled pid is not taken for the parent: no thread spins and no signal is
 * needed.
 */
public final class ParentProcessWatch {

    private static final Logger log = LoggerFactory.getLogger(ParentProcessWatch.class);

    private final long pid;

    private ParentProcessWatch(long pid) {
        this.pid = pid;
    }

    /** Watches process {@code pid}; when it has ended already (or never ran), {@code onExit} runs at once. */
    public static ParentProcessWatch start(long pid, Runnable onExit) {
        var watch = new ParentProcessWatch(pid);
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        // The action may block (a graceful shutdown that waits for the application context's start to finish), so it
        // runs on a thread of its own, never on the caller's or on the JDK's process reaper.
        Runnable stop = () -> Thread.ofPlatform().name("parent-process-exit").start(() -> {
            log.warn("Process {} that started this service has ended: stopping", pid);
            onExit.run();
        });
        if (parent.isEmpty() || !parent.get().isAlive()) {
            stop.run();
        } else {
            parent.get().onExit().thenRun(stop);
        }
        return watch;
    }

    public long pid() {
        return pid;
    }
}
