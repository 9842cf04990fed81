package io.chanalytics.ecommerce.order;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;
import static io.chanalytics.ecommerce.CatalogFixture.insertProduct;
import static io.chanalytics.ecommerce.CatalogFixture.ordersOf;
import static io.chanalytics.ecommerce.CatalogFixture.stockOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class OrderApiIntegrationTests extends EcommerceIntegrationTest {

    @Test
    void placesADirectOrderPricedByTheServer() {
        long tea = insertProduct("Green Tea", "grocery", "4.20", 20);
        long cup = insertProduct("Cup", "home", "7.00", 20);

        // A client-sent price is not part of the contract and is ignored; duplicate lines are merged.
        OrderView order = order(List.of(
                        Map.of("productId", tea, "quantity", 2, "unitPrice", 0.01),
                        Map.of("productId", cup, "quantity", 1),
                        Map.of("productId", tea, "quantity", 1)))
                .expectStatus()
                .isCreated()
                .expectBody(OrderView.class)
                .returnResult()
                .getResponseBody();

        assertThat(order.total()).isEqualByComparingTo("19.60");
        assertThat(order.itemsCount()).isEqualTo(4);
        assertThat(order.items()).hasSize(2);
        assertThat(stockOf(tea)).isEqualTo(17);

        client.get()
                .uri("/orders?page=0&size=10")
                .header("X-User-Id", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.totalElements")
                .isEqualTo(1)
                .jsonPath("$.content[0].id")
                .isEqualTo(order.id())
                .jsonPath("$.content[0].items.length()")
                .isEqualTo(2);
        expectProblemNaming(
                client.get()
                        .uri("/orders/{id}", order.id())
                        .header("X-User-Id", "another-user")
                        .exchange(),
                HttpStatus.NOT_FOUND,
                "id");
    }

    @Test
    void anUnknownProductFailsTheWholeOrder() {
        long known = insertProduct("Ruler", "office", "1.50", 10);
        order(List.of(Map.of("productId", known, "quantity", 2), Map.of("productId", Long.MAX_VALUE, "quantity", 1)))
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.reason")
                .isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(stockOf(known)).isEqualTo(10);
        assertThat(ordersOf("user:" + userId)).isZero();
    }

    @Test
    void invalidOrdersNameTheField() {
        expectFieldError(order(List.of()), HttpStatus.BAD_REQUEST, "items");
        expectFieldError(
                order(List.of(Map.of("productId", 1, "quantity", 0))), HttpStatus.BAD_REQUEST, "items[0].quantity");
        expectFieldError(
                client.get()
                        .uri("/orders?size=1000")
                        .header("X-User-Id", userId)
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "size");
        client.get()
                .uri("/orders/{id}", Long.MAX_VALUE)
                .header("X-User-Id", userId)
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec order(List<?> items) {
        return client.post()
                .uri("/orders")
                .header("X-User-Id", userId)
                .bodyValue(Map.of("items", items))
                .exchange();
    }
}
