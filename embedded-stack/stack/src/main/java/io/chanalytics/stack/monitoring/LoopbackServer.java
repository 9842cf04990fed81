package io.chanalytics.stack.monitoring;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP endpoint of the stack's monitoring on loopback, one path, one daemon thread: what Prometheus scrapes
 * and what Alertmanager notifies, a request every few seconds at most.
 */
final class LoopbackServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code path} on loopback {@code port} (0 picks a free one); {@code what} names it in errors. */
    static LoopbackServer start(int port, String path, HttpHandler handler, String what) {
        try {
            var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            var executor = Executors.newSingleThreadExecutor(
                    runnable -> Thread.ofPlatform().name(what).daemon().unstarted(runnable));
            server.createContext(path, handler);
            server.setExecutor(executor);
            server.start();
            return new LoopbackServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the " + what + " on port " + port, e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
