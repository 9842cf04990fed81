package io.chanalytics.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against real processes. The watched one is a grandchild of this JVM, as a service's stack is not its own child: the
 * JDK then polls it instead of waiting for it as a child.
 */
class ParentProcessWatchTests {

    @Test
    void actsOnceTheWatchedProcessIsKilled() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sleep 120 & echo $!; wait").start();
        long pid = Long.parseLong(shell.inputReader().readLine().strip());
        ProcessHandle parent = ProcessHandle.of(pid).orElseThrow();
        assertThat(ProcessHandle.current().children()).doesNotContain(parent);
        CountDownLatch stopped = new CountDownLatch(1);
        ParentProcessWatch.start(pid, stopped::countDown);

        assertThat(stopped.await(1, TimeUnit.SECONDS))
                .as("nothing happens while the process lives")
                .isFalse();
        parent.destroyForcibly();
        shell.waitFor(10, TimeUnit.SECONDS);

        assertThat(stopped.await(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS))
                .as("acted within 10 s of the kill")
                .isTrue();
    }

    @Test
    void actsAtOnceWhenTheProcessIsAlreadyGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        CountDownLatch stopped = new CountDownLatch(1);

        ParentProcessWatch.start(gone.pid(), stopped::countDown);

        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
