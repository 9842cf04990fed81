package io.chanalytics.simulator.flows;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The real users and products found (or generated) in the CRUD API before the load starts. */
public record DemoData(List<DemoUser> users, List<DemoProduct> products) {

    public record DemoUser(String id, String region) {}

    /** Enough of a product to view it, put it in a cart and send a full update (PUT) that keeps it intact. */
    public record DemoProduct(String id, String name, String category, String price) {}

    public DemoProduct randomProduct() {
        return products.get(ThreadLocalRandom.current().nextInt(products.size()));
    }

    /** The regions the CRUD API's users are in: what new users are registered with unless the config names some. */
    public List<String> regions() {
        return users.stream().map(DemoUser::region).distinct().sorted().toList();
    }

    public DemoUser randomUser() {
        return users.get(ThreadLocalRandom.current().nextInt(users.size()));
    }
}
