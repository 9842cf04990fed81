package io.chanalytics.api.problem;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A client-facing failure that carries its RFC 9457 body. Thrown from services and rendered as-is by
 * {@link ProblemDetailsAdvice}, so the status, title and offending field are decided where the rule lives.
 */
public class ApiProblem extends ErrorResponseException {

    private ApiProblem(HttpStatus status, String title, String detail, String field) {
        super(status, body(status, title, detail, field), null);
    }

    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", detail, field);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, "Conflict", detail, field);
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid request", detail, field);
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Unprocessable request", detail, field);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, null);
    }

    /** Adds a machine-readable property (e.g. {@code reason}, {@code productId}) to the problem body. */
    public ApiProblem with(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    private static ProblemDetail body(HttpStatus status, String title, String detail, String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty(ProblemDetailsAdvice.ERRORS, List.of(new InvalidField(field, detail)));
        }
        return problem;
    }
}
