package io.chanalytics.api.web;

import io.chanalytics.api.problem.InvalidField;
import io.chanalytics.api.problem.ProblemDetailsAdvice;
import io.chanalytics.api.problem.ProblemResponses;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A request target or headers too large for the service: {@code 414} or {@code 431} as
 * {@code application/problem+json} naming what is too large, like every other client error, and recorded by the
 * request metrics (which run first). Netty's own limits sit above these ({@code chanalytics-service.yml}): its answer
 * to a line or headers beyond them is an empty body, so the limits that clients meet are these.
 */
public final class RequestSizeLimits implements WebFilter, Ordered {

    /** Characters of path and query together, as most servers and proxies accept (8 KB). */
    public static final int MAX_TARGET_LENGTH = 8 * 1024;
    /** Bytes of all header names and values together (16 KB, twice Netty's default for one line of them). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;

    private final ProblemResponses problems;

    public RequestSizeLimits(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        // Inside the request metrics (HIGHEST_PRECEDENCE), so a refused request is recorded with its status.
        return Ordered.HIGHEST_PRECEDENCE + 10;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String query = request.getURI().getRawQuery();
        int target = request.getURI().getRawPath().length() + (query == null ? 0 : query.length() + 1);
        if (target > MAX_TARGET_LENGTH) {
            return refuse(
                    exchange,
                    HttpStatus.URI_TOO_LONG,
                    "Request target too long",
                    new InvalidField(
                            "uri",
                            "The path and query have " + target + " characters; at most " + MAX_TARGET_LENGTH
                                    + " are accepted"));
        }
        long[] total = {0};
        String[] largest = {null};
        long[] largestBytes = {0};
        request.getHeaders().forEach((name, values) -> {
            long bytes = 0;
            for (String value : values) {
                bytes += name.length() + value.length() + 4; // "name: value\r\n"
            }
            total[0] += bytes;
            if (bytes > largestBytes[0]) {
                largestBytes[0] = bytes;
                largest[0] = name;
            }
        });
        if (total[0] > MAX_HEADER_BYTES) {
            return refuse(
                    exchange,
                    HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "Request headers too large",
                    new InvalidField(
                            largest[0],
                            "The headers have " + total[0] + " bytes (this one " + largestBytes[0] + "); at most "
                                    + MAX_HEADER_BYTES + " are accepted"));
        }
        return chain.filter(exchange);
    }

    private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String title, InvalidField field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field.message());
        problem.setTitle(title);
        problem.setProperty(ProblemDetailsAdvice.ERRORS, List.of(field));
        return problems.write(exchange, problem);
    }
}
