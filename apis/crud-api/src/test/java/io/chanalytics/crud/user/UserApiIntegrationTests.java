package io.chanalytics.crud.user;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblem;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.crud.CrudIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

class UserApiIntegrationTests extends CrudIntegrationTest {

    private final String unique = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void registersAndReadsAUser() {
        User created = client.post()
                .uri("/users")
                .bodyValue(
                        Map.of("name", "Ada Lovelace", "email", "Ada." + unique + "@Example.com", "region", "eu-west"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(User.class)
                .returnResult()
                .getResponseBody();

        assertThat(created.id()).isPositive();
        assertThat(created.email()).isEqualTo("ada." + unique + "@example.com");
        client.get()
                .uri("/users/{id}", created.id())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.name")
                .isEqualTo("Ada Lovelace")
                .jsonPath("$.region")
                .isEqualTo("eu-west");
    }

    @Test
    void aSecondUserWithTheSameEmailInAnyCaseIsAConflict() {
        String email = "grace." + unique + "@example.com";
        client.post()
                .uri("/users")
                .bodyValue(Map.of("name", "Grace", "email", email, "region", "us-east"))
                .exchange()
                .expectStatus()
                .isCreated();

        expectProblemNaming(
                client.post()
                        .uri("/users")
                        .bodyValue(Map.of("name", "Grace H", "email", email.toUpperCase(), "region", "us-east"))
                        .exchange(),
                HttpStatus.CONFLICT,
                "email");
    }

    @Test
    void invalidFieldsAreNamed() {
        expectProblem(
                        client.post()
                                .uri("/users")
                                .bodyValue(Map.of("name", "", "email", "not-an-email", "region", "eu-west"))
                                .exchange(),
                        HttpStatus.BAD_REQUEST)
                .jsonPath("$.errors[?(@.field == 'name')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'email')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'region')]")
                .doesNotExist();
    }

    @Test
    void malformedJsonIsABadRequest() {
        expectProblem(
                client.post()
                        .uri("/users")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"name\": \"x\", ")
                        .exchange(),
                HttpStatus.BAD_REQUEST);
    }

    @Test
    void unknownAndMalformedIds() {
        expectFieldError(client.get().uri("/users/{id}", Long.MAX_VALUE).exchange(), HttpStatus.NOT_FOUND, "id");
        expectFieldError(client.get().uri("/users/abc").exchange(), HttpStatus.BAD_REQUEST, "id");
    }

    @Test
    void listsByRegionInPages() {
        String region = "r-" + unique;
        for (int i = 0; i < 3; i++) {
            client.post()
                    .uri("/users")
                    .bodyValue(
                            Map.of("name", "U" + i, "email", "u" + i + "." + unique + "@example.com", "region", region))
                    .exchange()
                    .expectStatus()
                    .isCreated();
        }

        client.get()
                .uri("/users?region={region}&page=1&size=2", region)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.totalElements")
                .isEqualTo(3)
                .jsonPath("$.totalPages")
                .isEqualTo(2)
                .jsonPath("$.content.length()")
                .isEqualTo(1)
                .jsonPath("$.content[0].name")
                .isEqualTo("U2");
    }

    @Test
    void oversizedPagesAreRefused() {
        expectProblemNaming(client.get().uri("/users?size=101").exchange(), HttpStatus.BAD_REQUEST, "size");
    }
}
