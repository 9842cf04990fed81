package io.chanalytics.api.problem;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblem;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
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
        expectProblem(postThing("{\"name\":\" \",\"quantity\":0}"), HttpStatus.BAD_REQUEST)
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.errors[?(@.field == 'name')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'quantity')]")
                .exists();
    }

    @Test
    void malformedJsonIsAProblemNotAServerError() {
        expectProblemNaming(postThing("{\"name\":"), HttpStatus.BAD_REQUEST, "body")
                .jsonPath("$.errors[0].message")
                .isEqualTo("malformed JSON");
    }

    @Test
    void wrongJsonTypeNamesTheField() {
        expectFieldError(postThing("{\"name\":\"a\",\"quantity\":\"lots\"}"), HttpStatus.BAD_REQUEST, "quantity");
    }

    @Test
    void outOfRangeNumbersNameTheField() {
        expectFieldError(postThing("{\"name\":\"a\",\"quantity\":99999999999}"), HttpStatus.BAD_REQUEST, "quantity")
                .jsonPath("$.errors[0].message")
                .isEqualTo("is out of range");
    }

    @Test
    void aBodyOfTheWrongShapeIsABadRequest() {
        expectFieldError(postThing("[1, 2]"), HttpStatus.BAD_REQUEST, "body");
    }

    @Test
    void aMissingBodyIsABadRequest() {
        expectProblemNaming(
                client.post()
                        .uri("/things")
                        .contentType(MediaType.APPLICATION_JSON)
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "body");
    }

    @Test
    void oversizedPageNamesTheParameter() {
        expectProblemNaming(get("/things?size=1000"), HttpStatus.BAD_REQUEST, "size");
    }

    @Test
    void wrongParameterTypeNamesTheParameter() {
        expectFieldError(get("/things?size=big"), HttpStatus.BAD_REQUEST, "size");
    }

    @Test
    void wrongPathVariableTypeNamesTheVariable() {
        expectFieldError(get("/things/abc"), HttpStatus.BAD_REQUEST, "id");
    }

    @Test
    void apiProblemKeepsItsStatusAndField() {
        expectProblemNaming(get("/things/7"), HttpStatus.NOT_FOUND, "id")
                .jsonPath("$.detail")
                .isEqualTo("No thing with id 7")
                .jsonPath("$.instance")
                .isEqualTo("/things/7");
    }

    @Test
    void missingHeaderIsNamed() {
        expectFieldError(get("/mine"), HttpStatus.BAD_REQUEST, "X-User-Id");
    }

    @Test
    void unexpectedErrorsHideTheirInternals() {
        expectProblem(get("/boom"), HttpStatus.INTERNAL_SERVER_ERROR)
                .jsonPath("$.detail")
                .isEqualTo("An unexpected error occurred");
    }

    private WebTestClient.ResponseSpec postThing(String json) {
        return client.post()
                .uri("/things")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    private WebTestClient.ResponseSpec get(String uri) {
        return client.get().uri(uri).exchange();
    }
}
