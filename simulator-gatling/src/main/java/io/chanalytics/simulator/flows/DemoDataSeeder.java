package io.chanalytics.simulator.flows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chanalytics.simulator.endpoints.CrudApiRequests;
import io.chanalytics.simulator.flows.DemoData.DemoProduct;
import io.chanalytics.simulator.flows.DemoData.DemoUser;
import io.chanalytics.simulator.signin.SignIn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the real users and products from the CRUD API before the load starts, generating demo data first when the
 * database is (nearly) empty, so every path parameter the load sends is a real id. Its requests carry their own user
 * agent: they are set-up, not part of the measured load.
 */
public final class DemoDataSeeder {

    static final int PAGE_SIZE = 100;
    static final int MIN_PRODUCTS = 20;
    static final int GENERATE_PRODUCTS = 50;
    /** The CRUD API's upper bound for one generate call is larger; smaller calls keep the seeding quick. */
    static final int GENERATE_BATCH = 100;

    static final long DEMO_SEED = 42;

    private final String crudBaseUrl;
    private final String userAgent;
    /** The user list and demo data are the admin's: signed in as the realm's admin when the APIs ask for it. */
    private final Optional<SignIn> signIn;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public DemoDataSeeder(String crudBaseUrl, String userAgent, Optional<SignIn> signIn) {
        this.crudBaseUrl = crudBaseUrl;
        this.userAgent = userAgent;
        this.signIn = signIn;
    }

    /** Makes sure at least {@code usersWanted} users and a small catalogue exist, then returns them. */
    public DemoData seed(int usersWanted) {
        List<DemoProduct> products = products();
        if (products.size() < MIN_PRODUCTS) {
            send("POST", "/demo/generate-products?count=" + GENERATE_PRODUCTS + "&seed=" + DEMO_SEED);
            products = products();
        }
        List<DemoUser> users = users(usersWanted);
        long seed = DEMO_SEED;
        while (users.size() < usersWanted) {
            int count = Math.min(GENERATE_BATCH, usersWanted - users.size());
            send("POST", "/demo/generate-users?count=" + count + "&seed=" + seed++);
            int before = users.size();
            users = users(usersWanted);
            if (users.size() == before) {
                throw new IllegalStateException("generating users did not add any at " + crudBaseUrl);
            }
        }
        if (products.isEmpty()) {
            throw new IllegalStateException("the catalogue at " + crudBaseUrl + " is still empty after generating");
        }
        return new DemoData(List.copyOf(users), List.copyOf(products));
    }

    /**
     * The catalogue's products, without the scratch ones a previous run's managers left: those are created and deleted
     * during a run, and a shopper sent to their category would view one a manager has just deleted (a 404, seen once
     * in the broker-outage test, which runs the load twice on one stack).
     */
    private List<DemoProduct> products() {
        List<DemoProduct> products = new ArrayList<>();
        for (JsonNode product :
                send("GET", "/products?page=0&size=" + PAGE_SIZE).path("content")) {
            if (CrudApiRequests.SCRATCH_CATEGORY.equals(product.path("category").asText())) {
                continue;
            }
            products.add(new DemoProduct(
                    product.path("id").asText(),
                    product.path("name").asText(),
                    product.path("category").asText(),
                    product.path("price").asText()));
        }
        return products;
    }

    private List<DemoUser> users(int wanted) {
        List<DemoUser> users = new ArrayList<>();
        for (int page = 0; users.size() < wanted; page++) {
            JsonNode content =
                    send("GET", "/users?page=" + page + "&size=" + PAGE_SIZE).path("content");
            for (JsonNode user : content) {
                users.add(new DemoUser(
                        user.path("id").asText(), user.path("region").asText()));
            }
            if (content.size() < PAGE_SIZE) {
                break;
            }
        }
        return users.size() > wanted ? users.subList(0, wanted) : users;
    }

    private JsonNode send(String method, String pathAndQuery) {
        URI uri = URI.create(crudBaseUrl + pathAndQuery);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("User-Agent", userAgent)
                .method(method, HttpRequest.BodyPublishers.noBody());
        signIn.ifPresent(admin -> builder.header("Authorization", admin.adminAuthorization()));
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(
                        method + " " + uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body().isBlank() ? json.nullNode() : json.readTree(response.body());
        } catch (IOException failed) {
            throw new IllegalStateException(method + " " + uri + " failed: " + failed.getMessage(), failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding demo data", interrupted);
        }
    }
}
