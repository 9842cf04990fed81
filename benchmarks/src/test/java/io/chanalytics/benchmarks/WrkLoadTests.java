package io.chanalytics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link WrkLoad} against the real wrk (Debian's, installed by {@code .ci/run}): what it sends and how its output is
 * read. A wrk whose output changed, or a script that stopped naming a new user per request (the rate limits would
 * refuse the load), fails here rather than in a benchmark run.
 */
class WrkLoadTests {

    @Test
    void sendsEveryRequestAsAnotherUserAndReadsWrksCountsLatencyAndCpu() throws Exception {
        Optional<WrkLoad> wrk = WrkLoad.find();
        assumeTrue(wrk.isPresent() || "true".equals(System.getenv("CI")), "wrk is not installed (apt-get install wrk)");
        Set<String> users = ConcurrentHashMap.newKeySet();
        AtomicLong answered = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/products/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/products/".length());
            boolean known = id.matches("\\d+") && Integer.parseInt(id) >= 1 && Integer.parseInt(id) <= 200;
            boolean newUser =
                    users.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-User-Id")));
            int status = known && newUser ? 200 : 429;
            (status == 200 ? answered : refused).incrementAndGet();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            WrkLoad.Result result = wrk.orElseThrow()
                    .run(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), 4, 2);

            assertThat(refused.get())
                    .as("requests for an unknown product or a user seen before")
                    .isZero();
            assertThat(result.failed()).isZero();
            // wrk counts what it completed within the run; the server may see a few more, cut off at its end.
            assertThat(result.requests()).isPositive().isLessThanOrEqualTo(answered.get());
            assertThat(result.seconds()).isBetween(1.9, 2.5);
            assertThat(result.p99Ms()).isPositive().isLessThan(1_000);
            assertThat(result.generatorCpuSeconds()).isPositive().isLessThan(2 * 2.5);
        } finally {
            server.stop(0);
        }
    }
}
