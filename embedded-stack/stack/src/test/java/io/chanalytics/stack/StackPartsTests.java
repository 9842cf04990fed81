package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With real processes standing in for the stack's JVM and a service (PostgreSQL's part is in the scripts' test). */
class StackPartsTests {

    @TempDir
    Path data;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aServiceOutlivingItsStackIsALeftoverAndIsStopped() throws Exception {
        Process stack = sleeper();
        Process service = sleeper();
        StackParts parts = StackParts.in(data);
        parts.record("stack", stack.toHandle());
        parts.record("crud-api", service.toHandle());

        assertThat(parts.runningStack()).isPresent();
        assertThat(parts.leftovers())
                .as("the stack still runs: nothing is left over")
                .isEmpty();

        stack.destroyForcibly().waitFor();
        assertThat(parts.runningStack()).isEmpty();
        assertThat(parts.leftovers()).extracting(StackParts.Part::name).containsExactly("crud-api");

        assertThat(parts.stopLeftovers()).extracting(StackParts.Part::pid).containsExactly(service.pid());
        assertThat(service.waitFor(Duration.ofSeconds(10))).as("stopped").isTrue();
        assertThat(data.resolve(StackParts.FILE)).as("record forgotten").doesNotExist();
        assertThat(parts.stopLeftovers()).isEmpty();
    }

    @Test
    void aRecycledPidIsNotTakenForAPart() throws Exception {
        Process stranger = sleeper();
        // The same pid, recorded with another start time: a process that was a part once, this one is not.
        Files.writeString(data.resolve(StackParts.FILE), "crud-api " + stranger.pid() + " 1000\n");

        assertThat(StackParts.in(data).stopLeftovers()).isEmpty();
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void aStackRefusedAtStartLeavesTheRunningOnesRecord() throws Exception {
        Process running = sleeper();
        StackParts parts = StackParts.in(data);
        parts.record("stack", running.toHandle());

        parts.clear();

        assertThat(parts.runningStack()).map(StackParts.Part::pid).contains(running.pid());
    }

    @Test
    void theStackForgetsItsOwnRecordWhenItStopsCleanly() {
        StackParts parts = StackParts.in(data);
        parts.recordStack();
        assertThat(parts.runningStack())
                .map(StackParts.Part::pid)
                .contains(ProcessHandle.current().pid());

        parts.clear();

        assertThat(data.resolve(StackParts.FILE)).doesNotExist();
    }

    private Process sleeper() throws IOException {
        Process process = new ProcessBuilder("sleep", "120").start();
        started.add(process);
        return process;
    }
}
