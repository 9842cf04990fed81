package io.chanalytics.api.testing;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient.BodyContentSpec;
import org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec;

/**
 * The checks every API test makes on an RFC 9457 answer from {@code ProblemDetailsAdvice}: its status, its
 * {@code application/problem+json} content type and the field its first error names. Each returns the body so a
 * test can go on to the problem's own properties ({@code reason}, {@code detail}, ...). Statuses are compared by
 * code, as 422 is both {@code UNPROCESSABLE_CONTENT} and the older {@code UNPROCESSABLE_ENTITY}.
 */
public final class ProblemAssertions {

    /** Where {@code ProblemDetailsAdvice} names the offending field (request body field, parameter or header). */
    public static final String FIRST_ERROR_FIELD = "$.errors[0].field";

    private ProblemAssertions() {}

    /** The status and the problem content type. */
    public static BodyContentSpec expectProblem(ResponseSpec response, HttpStatus status) {
        return response.expectStatus()
                .isEqualTo(status.value())
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody();
    }

    /** The status and the field the first error names. */
    public static BodyContentSpec expectFieldError(ResponseSpec response, HttpStatus status, String field) {
        return response.expectStatus()
                .isEqualTo(status.value())
                .expectBody()
                .jsonPath(FIRST_ERROR_FIELD)
                .isEqualTo(field);
    }

    /** The status, the problem content type and the field the first error names. */
    public static BodyContentSpec expectProblemNaming(ResponseSpec response, HttpStatus status, String field) {
        return expectProblem(response, status).jsonPath(FIRST_ERROR_FIELD).isEqualTo(field);
    }
}
