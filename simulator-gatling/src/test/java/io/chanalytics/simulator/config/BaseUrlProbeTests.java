package io.chanalytics.simulator.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BaseUrlProbeTests {

    private final BaseUrlProbe probe = new BaseUrlProbe(Duration.ofSeconds(2));
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anyHttpAnswerMeansReachable() throws IOException {
        String url = serverAnswering(404);

        assertThatCode(() -> probe.check(configWith(url, url))).doesNotThrowAnyException();
    }

    @Test
    void refusedConnectionNamesTheBaseUrlKey() throws IOException {
        String reachable = serverAnswering(200);
        String unreachable = "http://127.0.0.1:" + closedPort();

        assertThatThrownBy(() -> probe.check(configWith(reachable, unreachable)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("endpoints.ecommerce_api.base_url: " + unreachable + " is unreachable (")
                .hasMessageContaining("ConnectException");
    }

    private String serverAnswering(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SimulatorConfig configWith(String crudUrl, String ecommerceUrl) {
        ConfigOverrides overrides = new ConfigOverrides(
                Map.of("simulator.crud_api.base_url", crudUrl, "simulator.ecommerce_api.base_url", ecommerceUrl),
                Map.of());
        return ConfigLoader.load(overrides);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
