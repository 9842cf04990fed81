package io.chanalytics.simulator.endpoints;

import static io.chanalytics.simulator.endpoints.Json.json;
import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.chanalytics.simulator.flows.DemoData;
import io.chanalytics.simulator.flows.DemoData.DemoProduct;
import io.chanalytics.simulator.flows.Visitor;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Request builders for the CRUD API (users, products, demo data), each with the checks its answer must pass. */
public final class CrudApiRequests {

    /**
     * Products the simulated catalogue manager creates and later deletes live in their own category: shoppers browse
     * the demo categories only, so they never put a product in their cart that is about to disappear.
     */
    public static final String SCRATCH_CATEGORY = "simulator-scratch";
    /** What a catalogue update sets the stock to, so long runs keep products in stock for checkouts. */
    static final int RESTOCK_LEVEL = 1000;

    private final String baseUrl;
    private final DemoData demoData;
    private final List<String> regions;

    public CrudApiRequests(String baseUrl, DemoData demoData, List<String> regions) {
        this.baseUrl = baseUrl;
        this.demoData = demoData;
        this.regions = regions;
    }

    public HttpRequestActionBuilder listUsers() {
        return http(Operation.LIST_USERS.displayName())
                .get(baseUrl + "/users")
                .queryParam("region", "#{" + Visitor.REGION + "}")
                .queryParam("size", "20")
                .check(status().is(200));
    }

    public HttpRequestActionBuilder registerUser() {
        return http(Operation.REGISTER_USER.displayName())
                .post(baseUrl + "/users")
                .body(StringBody(session -> {
                    String handle = UUID.randomUUID().toString().substring(0, 12);
                    return json(new NewUser("Simulated " + handle, "sim-" + handle + "@example.test", randomRegion()));
                }))
                .asJson()
                .check(status().is(201));
    }

    /** A user looks at their own profile. */
    public HttpRequestActionBuilder getUser() {
        return http(Operation.GET_USER.displayName())
                .get(baseUrl + "/users/#{" + Visitor.USER_ID + "}")
                .check(status().is(200));
    }

    /** Browses one category; the products listed become candidates for the next product views. */
    public HttpRequestActionBuilder listProducts() {
        return http(Operation.LIST_PRODUCTS.displayName())
                .get(baseUrl + "/products")
                .queryParam("category", session -> demoData.randomProduct().category())
                .queryParam("size", "20")
                .check(status().is(200))
                .check(jsonPath("$.content[*].id").findAll().optional().saveAs(Visitor.LISTED_PRODUCTS));
    }

    public HttpRequestActionBuilder createProduct() {
        return http(Operation.CREATE_PRODUCT.displayName())
                .post(baseUrl + "/products")
                .body(StringBody(session -> json(new ProductBody(
                        "Simulated " + UUID.randomUUID().toString().substring(0, 8),
                        SCRATCH_CATEGORY,
                        BigDecimal.valueOf(5 + ThreadLocalRandom.current().nextDouble(200))
                                .setScale(2, RoundingMode.HALF_UP),
                        RESTOCK_LEVEL))))
                .asJson()
                .check(status().is(201))
                .check(jsonPath("$.id").saveAs(Visitor.LAST_CREATED_ID));
    }

    /** Views a product this session listed or a catalogue product: a PRODUCT_VIEWED event with its category. */
    public HttpRequestActionBuilder viewProduct() {
        return http(Operation.VIEW_PRODUCT.displayName())
                .get(session -> baseUrl + "/products/" + productToView(session))
                .check(status().is(200))
                .check(jsonPath("$.id").saveAs(Visitor.LAST_VIEWED_PRODUCT));
    }

    /** A catalogue manager restocks a product, keeping its name, category and price. */
    public HttpRequestActionBuilder updateProduct() {
        return http(Operation.UPDATE_PRODUCT.displayName())
                .put(session ->
                        baseUrl + "/products/" + productToUpdate(session).id())
                .body(StringBody(session -> {
                    DemoProduct product = productToUpdate(session);
                    return json(new ProductBody(
                            product.name(), product.category(), new BigDecimal(product.price()), RESTOCK_LEVEL));
                }))
                .asJson()
                .check(status().is(200));
    }

    /** Deletes a product this session created, never a catalogue product other sessions may be buying. */
    public HttpRequestActionBuilder deleteProduct() {
        return http(Operation.DELETE_PRODUCT.displayName())
                .delete(session -> baseUrl + "/products/" + Visitor.last(session, Visitor.CREATED_PRODUCTS))
                .check(status().is(204));
    }

    public HttpRequestActionBuilder generateUsers() {
        return http(Operation.GENERATE_USERS.displayName())
                .post(baseUrl + "/demo/generate-users")
                .queryParam("count", "5")
                .queryParam(
                        "seed",
                        session -> Long.toString(ThreadLocalRandom.current().nextLong(1_000_000)))
                .check(status().is(201));
    }

    public HttpRequestActionBuilder generateProducts() {
        return http(Operation.GENERATE_PRODUCTS.displayName())
                .post(baseUrl + "/demo/generate-products")
                .queryParam("count", "5")
                .queryParam(
                        "seed",
                        session -> Long.toString(ThreadLocalRandom.current().nextLong(1_000_000)))
                .check(status().is(201));
    }

    private String productToView(Session session) {
        List<String> listed = Visitor.list(session, Visitor.LISTED_PRODUCTS);
        if (!listed.isEmpty()) {
            return listed.get(ThreadLocalRandom.current().nextInt(listed.size()));
        }
        return demoData.randomProduct().id();
    }

    /** Derived from the user and the step, so the URL and the body, built separately, name the same product. */
    private DemoProduct productToUpdate(Session session) {
        long seed = session.userId() * 31 + session.getInt(Visitor.STEP);
        return demoData.products()
                .get((int) Math.floorMod(seed, (long) demoData.products().size()));
    }

    private String randomRegion() {
        return regions.get(ThreadLocalRandom.current().nextInt(regions.size()));
    }

    /** The body of {@code POST /users}. */
    record NewUser(String name, String email, String region) {}

    /** The body of {@code POST /products} and {@code PUT /products/{id}}. */
    record ProductBody(String name, String category, BigDecimal price, int stock) {}
}
