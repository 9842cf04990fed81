package io.chanalytics.ecommerce.checkout;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.ecommerce.CatalogFixture.insertProduct;
import static io.chanalytics.ecommerce.CatalogFixture.ordersOf;
import static io.chanalytics.ecommerce.CatalogFixture.setPriceAndStock;
import static io.chanalytics.ecommerce.CatalogFixture.stockOf;
import static io.chanalytics.ecommerce.CatalogFixture.unitsOrdered;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import io.chanalytics.ecommerce.order.OrderView;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class CheckoutIntegrationTests extends EcommerceIntegrationTest {

    @Test
    void turnsTheCartIntoAnOrderAtCatalogTimePrices() {
        long lamp = insertProduct("Lamp", "home", "10.00", 5);
        long book = insertProduct("Atlas", "books", "3.35", 9);
        addToCart(userId, lamp, 2).expectStatus().isCreated();
        addToCart(userId, book, 3).expectStatus().isCreated();
        // The price changes after the lamp went into the cart: checkout charges the catalog's price now.
        setPriceAndStock(lamp, "12.00", 5);

        OrderView order = checkout(userId)
                .expectStatus()
                .isCreated()
                .expectHeader()
                .valueMatches("Location", "/orders/\\d+")
                .expectBody(OrderView.class)
                .returnResult()
                .getResponseBody();

        assertThat(order.total()).isEqualByComparingTo("34.05");
        assertThat(order.itemsCount()).isEqualTo(5);
        assertThat(order.currency()).isEqualTo("USD");
        assertThat(order.items()).extracting(item -> item.productId()).containsExactly(lamp, book);
        assertThat(stockOf(lamp)).isEqualTo(3);
        assertThat(stockOf(book)).isEqualTo(6);
        client.get()
                .uri("/cart")
                .header("X-User-Id", userId)
                .exchange()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(0);
        client.get()
                .uri("/orders/{id}", order.id())
                .header("X-User-Id", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(OrderView.class)
                .isEqualTo(order);
    }

    @Test
    void anEmptyCartIsUnprocessable() {
        expectFieldError(checkout(userId), HttpStatus.UNPROCESSABLE_CONTENT, "cart")
                .jsonPath("$.reason")
                .isEqualTo("EMPTY_CART");
    }

    @Test
    void aShortProductRollsBackEverything() {
        long plenty = insertProduct("Socks", "fashion", "4.00", 50);
        long scarce = insertProduct("Signed Print", "art", "80.00", 1);
        addToCart(userId, plenty, 3).expectStatus().isCreated();
        addToCart(userId, scarce, 1).expectStatus().isCreated();
        // Someone else bought the last print between adding to the cart and checking out.
        setPriceAndStock(scarce, "80.00", 0);

        checkout(userId)
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("OUT_OF_STOCK")
                .jsonPath("$.productId")
                .isEqualTo(scarce);

        // The socks were decremented first (lower id) and must be back; no order, and the cart is intact.
        assertThat(stockOf(plenty)).isEqualTo(50);
        assertThat(ordersOf("user:" + userId)).isZero();
        client.get()
                .uri("/cart")
                .header("X-User-Id", userId)
                .exchange()
                .expectBody()
                .jsonPath("$.itemsCount")
                .isEqualTo(4);
    }

    @Test
    void parallelCheckoutsNeverOversell() throws Exception {
        int stock = 5;
        int shoppers = 24;
        long product = insertProduct("Limited Sneaker", "fashion", "120.00", stock);
        List<String> users =
                IntStream.range(0, shoppers).mapToObj(i -> userId + "-" + i).toList();
        users.forEach(user -> addToCart(user, product, 1).expectStatus().isCreated());

        List<Callable<Integer>> checkouts = users.stream()
                .<Callable<Integer>>map(user -> () ->
                        checkout(user).returnResult(String.class).getStatus().value())
                .toList();
        Map<Integer, Long> statuses;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            statuses = executor.invokeAll(checkouts).stream()
                    .map(CheckoutIntegrationTests::join)
                    .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        }

        assertThat(statuses).containsOnlyKeys(201, 409);
        assertThat(statuses.get(201)).isEqualTo(stock);
        assertThat(statuses.get(409)).isEqualTo(shoppers - stock);
        assertThat(stockOf(product)).isZero();
        assertThat(unitsOrdered(product)).isEqualTo(stock);
        assertThat(users.stream().mapToLong(user -> ordersOf("user:" + user)).sum())
                .isEqualTo(stock);
    }

    private static Integer join(Future<Integer> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
