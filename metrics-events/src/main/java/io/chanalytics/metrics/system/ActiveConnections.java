package io.chanalytics.metrics.system;

import java.util.concurrent.atomic.AtomicInteger;

/** Open HTTP connections of this instance, counted by the server's connection hooks. */
public final class ActiveConnections {

    private final AtomicInteger open = new AtomicInteger();

    public void opened() {
        open.incrementAndGet();
    }

    public void closed() {
        open.decrementAndGet();
    }

    public int count() {
        return open.get();
    }
}
