package io.chanalytics.simulator.flows;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.chanalytics.simulator.endpoints.CrudApiRequests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The seeder against a stand-in CRUD API answering as the real one does (pages of users and products). */
class DemoDataSeederTests {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/products", exchange -> answer(exchange, products()));
        server.createContext(
                "/users", exchange -> answer(exchange, "{\"content\":[{\"id\":\"7\",\"region\":\"eu-west\"}]}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /**
     * A previous run's managers left scratch products behind: a shopper sent to their category would view products the
     * managers of this run create and delete, and see 404s.
     */
    @Test
    void theScratchProductsManagersLeaveAreNoDemoProducts() {
        DemoData data = new DemoDataSeeder(
                        "http://127.0.0.1:" + server.getAddress().getPort(), "tests", Optional.empty())
                .seed(1);

        assertThat(data.products()).hasSize(DemoDataSeeder.MIN_PRODUCTS);
        assertThat(data.products())
                .extracting(DemoData.DemoProduct::category)
                .doesNotContain(CrudApiRequests.SCRATCH_CATEGORY);
    }

    private static String products() {
        List<String> products = new ArrayList<>();
        for (int i = 0; i < DemoDataSeeder.MIN_PRODUCTS; i++) {
            products.add("{\"id\":\"" + i + "\",\"name\":\"P" + i + "\",\"category\":\"books\",\"price\":\"1.00\"}");
        }
        products.add("{\"id\":\"99\",\"name\":\"Scratch\",\"category\":\"" + CrudApiRequests.SCRATCH_CATEGORY
                + "\",\"price\":\"2.00\"}");
        return "{\"content\":[" + String.join(",", products) + "]}";
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
