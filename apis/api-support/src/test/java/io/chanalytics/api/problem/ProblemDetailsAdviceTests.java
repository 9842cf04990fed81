package io.chanalytics.api.problem;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

class ProblemDetailsAdviceTests {

    record Thing(@NotBlank String name, @Min(1) int quantity) {}

    @RestController
    static class SampleController {

        @PostMapping("/things")
        Thing create(@Valid @RequestBody Thing thing) {
            return thing;
        }

        @GetMapping("/things")
        String list(@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
            return "ok " + size;
        }

        @GetMapping("/things/{id}")
        String get(@PathVariable long id) {
            throw ApiProblem.notFound("id", "No thing with id " + id);
        }

        @GetMapping("/mine")
        String mine(@RequestHeader("X-User-Id") String userId) {
            return userId;
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internals");
        }
    }

    private final WebTestClient client = client();

    private static WebTestClient client() {
        LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
        validator.afterPropertiesSet();
        return WebTestClient.bindToController(new SampleController())
                .controllerAdvice(new ProblemDetailsAdvice())
                .validator(validator)
                .build();
    }

    @Test
    void invalidBodyFieldsAreNamed() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\" \",\"quantity\":0}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors[?(@.field == 'name')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'quantity')]")
                .exists();
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("body")
                .jsonPath("$.errors[0].message")
                .isEqualTo("malformed JSON");
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"a\",\"quantity\":\"lots\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("quantity");
    }

    @Test
    void outOfRangeNumbersNameTheField() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"a\",\"quantity\":99999999999}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("quantity")
                .jsonPath("$.errors[0].message")
                .isEqualTo("is out of range");
    }

    @Test
    void aBodyOfTheWrongShapeIsABadRequest() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[1, 2]")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("body");
    }

    @Test
    void aMissingBodyIsABadRequest() {
        client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("body");
    }

    @Test
    void oversizedPageNamesTheParameter() {
        client.get()
                .uri("/things?size=1000")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("size");
    }

    @Test
    void wrongParameterTypeNamesTheParameter() {
        client.get()
                .uri("/things?size=big")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("size");
    }

    @Test
    void wrongPathVariableTypeNamesTheVariable() {
        client.get()
                .uri("/things/abc")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("id");
    }

    @Test
    void apiProblemKeepsItsStatusAndField() {
        client.get()
                .uri("/things/7")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("No thing with id 7")
                .jsonPath("$.errors[0].field")
                .isEqualTo("id")
                .jsonPath("$.instance")
                .isEqualTo("/things/7");
    }

    @Test
    void missingHeaderIsNamed() {
        client.get()
                .uri("/mine")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("X-User-Id");
    }

    @Test
    void unexpectedErrorsHideTheirInternals() {
        client.get()
                .uri("/boom")
                .exchange()
                .expectStatus()
                .isEqualTo(500)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("An unexpected error occurred");
    }
}
