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

    /** For typed problems that carry more than their body (a reason, an id) to the code that catches them. */
    protected ApiProblem(HttpStatus status, String field, String detail) {
        super(status, body(status, title(status), detail, field), null);
    }

    public static ApiProblem notFound(String field, String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, field, detail);
    }

    public static ApiProblem conflict(String field, String detail) {
        return new ApiProblem(HttpStatus.CONFLICT, field, detail);
    }

    public static ApiProblem badRequest(String field, String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, field, detail);
    }

    public static ApiProblem unprocessable(String field, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, field, detail);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, null, detail);
    }

    private static String title(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "Invalid request";
            case UNPROCESSABLE_CONTENT -> "Unprocessable request";
            case SERVICE_UNAVAILABLE -> "Service unavailable";
            case NOT_FOUND -> "Not found";
            default -> status.getReasonPhrase();
        };
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
