package io.chanalytics.ecommerce.cart;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;
import static io.chanalytics.ecommerce.CatalogFixture.insertProduct;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class CartApiIntegrationTests extends EcommerceIntegrationTest {

    @Test
    void addViewChangeAndRemove() {
        long productId = insertProduct("Mug", "home", "2.50", 10);

        CartChange first = addToCart(userId, productId, 2)
                .expectStatus()
                .isCreated()
                .expectBody(CartChange.class)
                .returnResult()
                .getResponseBody();
        assertThat(first.quantity()).isEqualTo(2);
        assertThat(first.cartItemsCount()).isEqualTo(2);
        assertThat(first.productCategory()).isEqualTo("home");

        // Adding the same product again raises the line's quantity instead of adding a line.
        addToCart(userId, productId, 1)
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.itemId")
                .isEqualTo(first.itemId())
                .jsonPath("$.quantity")
                .isEqualTo(3);

        client.get()
                .uri("/cart")
                .header("X-User-Id", userId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(1)
                .jsonPath("$.items[0].unitPrice")
                .isEqualTo(2.5)
                .jsonPath("$.items[0].lineTotal")
                .isEqualTo(7.5)
                .jsonPath("$.itemsCount")
                .isEqualTo(3)
                .jsonPath("$.total")
                .isEqualTo(7.5)
                .jsonPath("$.currency")
                .isEqualTo("USD");

        client.put()
                .uri("/cart/{itemId}", first.itemId())
                .header("X-User-Id", userId)
                .bodyValue(Map.of("quantity", 5))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.quantity")
                .isEqualTo(5)
                .jsonPath("$.cartItemsCount")
                .isEqualTo(5);

        client.delete()
                .uri("/cart/{itemId}", first.itemId())
                .header("X-User-Id", userId)
                .exchange()
                .expectStatus()
                .isNoContent();
        client.get()
                .uri("/cart")
                .header("X-User-Id", userId)
                .exchange()
                .expectBody()
                .jsonPath("$.items.length()")
                .isEqualTo(0)
                .jsonPath("$.total")
                .isEqualTo(0.0);
    }

    @Test
    void anotherShoppersLineIsNotFound() {
        long productId = insertProduct("Pen", "office", "1.00", 10);
        long itemId = addToCart(userId, productId, 1)
                .expectStatus()
                .isCreated()
                .expectBody(CartChange.class)
                .returnResult()
                .getResponseBody()
                .itemId();

        expectFieldError(
                client.put()
                        .uri("/cart/{itemId}", itemId)
                        .header("X-User-Id", "someone-else")
                        .bodyValue(Map.of("quantity", 2))
                        .exchange(),
                HttpStatus.NOT_FOUND,
                "itemId");
        client.delete()
                .uri("/cart/{itemId}", itemId)
                .header("X-User-Id", "someone-else")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void anonymousShoppersUseTheirSession() {
        long productId = insertProduct("Cap", "fashion", "9.00", 10);
        client.post()
                .uri("/cart")
                .header("X-Session-Id", userId)
                .bodyValue(Map.of("productId", productId, "quantity", 1))
                .exchange()
                .expectStatus()
                .isCreated();
        client.get()
                .uri("/cart")
                .header("X-Session-Id", userId)
                .exchange()
                .expectBody()
                .jsonPath("$.itemsCount")
                .isEqualTo(1);
        // The same value as a user id is a different cart.
        client.get()
                .uri("/cart")
                .header("X-User-Id", userId)
                .exchange()
                .expectBody()
                .jsonPath("$.itemsCount")
                .isEqualTo(0);
    }

    @Test
    void aCallerWithoutIdentityIsToldWhichHeaderToSend() {
        expectProblemNaming(client.get().uri("/cart").exchange(), HttpStatus.BAD_REQUEST, "X-User-Id");
    }

    @Test
    void unknownProductsAndShortStockAreRefused() {
        expectFieldError(addToCart(userId, Long.MAX_VALUE, 1), HttpStatus.NOT_FOUND, "productId");

        long productId = insertProduct("Rare Stamp", "collectibles", "99.00", 2);
        expectFieldError(addToCart(userId, productId, 3), HttpStatus.CONFLICT, "quantity")
                .jsonPath("$.reason")
                .isEqualTo("OUT_OF_STOCK");
    }

    @Test
    void invalidBodiesNameTheField() {
        expectFieldError(
                client.post()
                        .uri("/cart")
                        .header("X-User-Id", userId)
                        .bodyValue(Map.of("productId", 1, "quantity", 0))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "quantity");
        expectFieldError(
                client.post()
                        .uri("/cart")
                        .header("X-User-Id", userId)
                        .bodyValue(Map.of("quantity", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "productId");
        expectFieldError(
                client.post()
                        .uri("/cart")
                        .header("X-User-Id", userId)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"productId\": \"one\", \"quantity\": 1}")
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "productId");
        expectFieldError(
                client.put()
                        .uri("/cart/not-a-number")
                        .header("X-User-Id", userId)
                        .bodyValue(Map.of("quantity", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "itemId");
    }
}
