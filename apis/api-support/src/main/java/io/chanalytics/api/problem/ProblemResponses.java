package io.chanalytics.api.problem;

import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a problem from a web filter, before any handler (and so before {@link ProblemDetailsAdvice}) runs: the same
 * {@code application/problem+json} through the application's own JSON writer.
 */
public final class ProblemResponses {

    private static final ResolvableType PROBLEM = ResolvableType.forClass(ProblemDetail.class);

    private final HttpMessageWriter<ProblemDetail> writer;

    @SuppressWarnings("unchecked")
    public ProblemResponses(ServerCodecConfigurer codecs) {
        this.writer = (HttpMessageWriter<ProblemDetail>) codecs.getWriters().stream()
                .filter(candidate -> candidate.canWrite(PROBLEM, MediaType.APPLICATION_PROBLEM_JSON))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No JSON writer for problem details"));
    }

    /** Answers {@code problem} with its status; headers set on the response before are kept. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        return writer.write(
                Mono.just(problem), PROBLEM, MediaType.APPLICATION_PROBLEM_JSON, exchange.getResponse(), Map.of());
    }
}
