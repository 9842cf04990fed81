package io.chanalytics.crud.product;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.crud.CrudIntegrationTest;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ProductApiIntegrationTests extends CrudIntegrationTest {

    private final String category = "c-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void createReadReplaceDelete() {
        Product created = create("Desk Lamp", "19.99", 7);
        assertThat(created.price()).isEqualByComparingTo("19.99");

        client.get()
                .uri("/products/{id}", created.id())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo("Desk Lamp")
                .jsonPath("$.price")
                .isEqualTo(19.99)
                .jsonPath("$.stock")
                .isEqualTo(7);

        client.put()
                .uri("/products/{id}", created.id())
                .bodyValue(Map.of("name", "Desk Lamp XL", "category", category, "price", "24.50", "stock", 3))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo("Desk Lamp XL")
                .jsonPath("$.price")
                .isEqualTo(24.5);

        client.delete()
                .uri("/products/{id}", created.id())
                .exchange()
                .expectStatus()
                .isNoContent();
        client.get()
                .uri("/products/{id}", created.id())
                .exchange()
                .expectStatus()
                .isNotFound();
        expectProblem(client.delete().uri("/products/{id}", created.id()).exchange(), HttpStatus.NOT_FOUND);
    }

    @Test
    void filtersByCategoryAndPriceRange() {
        create("Cheap", "5.00", 1);
        create("Middle", "50.00", 1);
        create("Dear", "500.00", 1);

        client.get()
                .uri("/products?category={category}&minPrice=10&maxPrice=100", category)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.totalElements")
                .isEqualTo(1)
                .jsonPath("$.content[0].name")
                .isEqualTo("Middle");
        client.get()
                .uri("/products?category={category}&minPrice=10", category)
                .exchange()
                .expectBody()
                .jsonPath("$.totalElements")
                .isEqualTo(2);
    }

    @Test
    void aReversedPriceRangeIsABadRequest() {
        expectFieldError(
                client.get().uri("/products?minPrice=10&maxPrice=1").exchange(), HttpStatus.BAD_REQUEST, "minPrice");
        expectFieldError(client.get().uri("/products?maxPrice=cheap").exchange(), HttpStatus.BAD_REQUEST, "maxPrice");
    }

    @Test
    void invalidProductsNameTheField() {
        expectFieldError(
                client.post()
                        .uri("/products")
                        .bodyValue(Map.of("name", "Bad", "category", category, "price", "-1", "stock", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "price");
        expectFieldError(
                client.post()
                        .uri("/products")
                        .bodyValue(Map.of("name", "Bad", "category", category, "price", "1.999", "stock", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "price");
        expectFieldError(
                client.post()
                        .uri("/products")
                        .bodyValue(Map.of("name", "Bad", "category", category, "price", "1.00", "stock", -1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "stock");
        expectFieldError(
                client.post()
                        .uri("/products")
                        .bodyValue(Map.of("name", "Bad", "category", category, "price", "one", "stock", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "price");
    }

    @Test
    void replacingAnUnknownProductIsNotFound() {
        expectFieldError(
                client.put()
                        .uri("/products/{id}", Long.MAX_VALUE)
                        .bodyValue(Map.of("name", "Ghost", "category", category, "price", "1.00", "stock", 1))
                        .exchange(),
                HttpStatus.NOT_FOUND,
                "id");
    }

    private Product create(String name, String price, int stock) {
        Product product = client.post()
                .uri("/products")
                .bodyValue(Map.of("name", name, "category", category, "price", new BigDecimal(price), "stock", stock))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(Product.class)
                .returnResult()
                .getResponseBody();
        assertThat(product).isNotNull();
        return product;
    }
}
