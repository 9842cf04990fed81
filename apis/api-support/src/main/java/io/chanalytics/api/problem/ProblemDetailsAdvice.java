package io.chanalytics.api.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns every client mistake into RFC 9457 {@code application/problem+json} whose {@code errors} list names the
 * offending field, parameter or header; anything unexpected becomes a 500 problem without internals.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    /** Name of the problem property listing {@link InvalidField}s. */
    public static final String ERRORS = "errors";

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<InvalidField> errors = new ArrayList<>();
        ex.getFieldErrors().forEach(error -> errors.add(new InvalidField(error.getField(), error.getDefaultMessage())));
        ex.getGlobalErrors()
                .forEach(error -> errors.add(new InvalidField(error.getObjectName(), error.getDefaultMessage())));
        return respond(ex, errors, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex,
            HttpHeaders headers,
            HttpStatusCode status,
            ServerWebExchange exchange) {
        List<InvalidField> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String name = parameterName(result.getMethodParameter());
            if (result instanceof ParameterErrors parameterErrors && parameterErrors.hasFieldErrors()) {
                for (FieldError error : parameterErrors.getFieldErrors()) {
                    errors.add(new InvalidField(error.getField(), error.getDefaultMessage()));
                }
            } else {
                result.getResolvableErrors()
                        .forEach(error -> errors.add(new InvalidField(name, error.getDefaultMessage())));
            }
        }
        return respond(ex, errors, headers, HttpStatus.BAD_REQUEST, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(
            MissingRequestValueException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<InvalidField> errors = List.of(new InvalidField(ex.getName(), "is required"));
        return respond(ex, errors, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        return respond(ex, List.of(describeInput(ex)), headers, status, exchange);
    }

    @ExceptionHandler(DataAccessResourceFailureException.class)
    Mono<ResponseEntity<Object>> handleDatabaseUnavailable(
            DataAccessResourceFailureException ex, ServerWebExchange exchange) {
        log.warn("Database unavailable: {}", ex.getMessage());
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The database is not reachable");
        problem.setTitle("Service unavailable");
        return handleExceptionInternal(ex, problem, null, HttpStatus.SERVICE_UNAVAILABLE, exchange);
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        log.error(
                "Unhandled error on {} {}",
                exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(),
                ex);
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred");
        problem.setTitle("Internal error");
        return handleExceptionInternal(ex, problem, null, HttpStatus.INTERNAL_SERVER_ERROR, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem && problem.getInstance() == null) {
            problem.setInstance(exchange.getRequest()
                    .getURI()
                    .resolve(exchange.getRequest().getPath().value()));
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }

    private Mono<ResponseEntity<Object>> respond(
            ResponseStatusException ex,
            List<InvalidField> errors,
            HttpHeaders headers,
            HttpStatusCode status,
            ServerWebExchange exchange) {
        ProblemDetail problem = ex.getBody();
        problem.setStatus(status.value());
        problem.setTitle("Invalid request");
        problem.setDetail(errors.stream()
                .map(error -> error.field() + ": " + error.message())
                .collect(Collectors.joining("; ")));
        problem.setProperty(ERRORS, errors);
        return handleExceptionInternal(ex, problem, headers, status, exchange);
    }

    /** Names the input behind a conversion or decoding failure: a JSON path, a parameter, or the body. */
    private static InvalidField describeInput(ServerWebInputException ex) {
        JacksonException json = cause(ex, JacksonException.class);
        if (json != null) {
            String path = jsonPath(json);
            String field = path.isEmpty() ? "body" : path;
            if (json instanceof InputCoercionException) {
                return new InvalidField(field, "is out of range");
            }
            if (json instanceof StreamReadException) {
                return new InvalidField(field, "malformed JSON");
            }
            return new InvalidField(field, "has the wrong type or format");
        }
        MethodParameter parameter = ex.getMethodParameter();
        String name = parameter == null ? "body" : parameterName(parameter);
        TypeMismatchException mismatch = cause(ex, TypeMismatchException.class);
        if (mismatch != null && mismatch.getRequiredType() != null) {
            return new InvalidField(
                    name,
                    "'" + mismatch.getValue() + "' is not a valid "
                            + mismatch.getRequiredType().getSimpleName());
        }
        if (cause(ex, DecodingException.class) != null || "body".equals(name)) {
            return new InvalidField(name, "is missing or unreadable");
        }
        return new InvalidField(name, ex.getReason() == null ? "is invalid" : ex.getReason());
    }

    private static String jsonPath(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : json.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String parameterName(MethodParameter parameter) {
        RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
        if (requestParam != null) {
            return firstNonEmpty(requestParam.name(), requestParam.value(), parameter.getParameterName());
        }
        RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
        if (requestHeader != null) {
            return firstNonEmpty(requestHeader.name(), requestHeader.value(), parameter.getParameterName());
        }
        PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
        if (pathVariable != null) {
            return firstNonEmpty(pathVariable.name(), pathVariable.value(), parameter.getParameterName());
        }
        if (parameter.hasParameterAnnotation(RequestBody.class)) {
            return "body";
        }
        return firstNonEmpty(parameter.getParameterName(), "parameter", "parameter");
    }

    private static String firstNonEmpty(String first, String second, String fallback) {
        if (first != null && !first.isEmpty()) {
            return first;
        }
        if (second != null && !second.isEmpty()) {
            return second;
        }
        return fallback == null ? "parameter" : fallback;
    }

    private static <T extends Throwable> T cause(Throwable error, Class<T> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
