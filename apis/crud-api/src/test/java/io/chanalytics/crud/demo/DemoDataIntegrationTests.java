package io.chanalytics.crud.demo;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;

import io.chanalytics.crud.CrudIntegrationTest;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class DemoDataIntegrationTests extends CrudIntegrationTest {

    private final long seed = ThreadLocalRandom.current().nextLong(1_000_000, Long.MAX_VALUE);

    @Test
    void theSameSeedGivesTheSameUsersOnce() {
        generate("/demo/generate-users?count=25&seed=" + seed)
                .jsonPath("$.created")
                .isEqualTo(25);
        generate("/demo/generate-users?count=30&seed=" + seed)
                .jsonPath("$.created")
                .isEqualTo(5)
                .jsonPath("$.requested")
                .isEqualTo(30)
                .jsonPath("$.seed")
                .isEqualTo(seed);
    }

    @Test
    void generatesProducts() {
        generate("/demo/generate-products?count=40&seed=" + seed)
                .jsonPath("$.created")
                .isEqualTo(40)
                .jsonPath("$.kind")
                .isEqualTo("products");
    }

    @Test
    void countsAboveTheLimitAreRefused() {
        expectFieldError(
                client.post().uri("/demo/generate-users?count=1001").exchange(), HttpStatus.BAD_REQUEST, "count");
        expectFieldError(
                client.post().uri("/demo/generate-products?count=0").exchange(), HttpStatus.BAD_REQUEST, "count");
    }

    private org.springframework.test.web.reactive.server.WebTestClient.BodyContentSpec generate(String uri) {
        return client.post().uri(uri).exchange().expectStatus().isCreated().expectBody();
    }
}
