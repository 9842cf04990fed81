package io.chanalytics.api.ratelimit;

import io.chanalytics.api.problem.ProblemResponses;
import io.chanalytics.api.ratelimit.RateLimiter.Caller;
import io.chanalytics.api.ratelimit.RateLimiter.Decision;
import io.chanalytics.metrics.web.CallerHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Applies the {@link RateLimiter} to every request: per user when the caller names one, else per client address (as
 * the trusted-proxy rules established it). Every limited answer carries the IETF RateLimit fields
 * (draft-ietf-httpapi-ratelimit-headers-10: {@code RateLimit-Policy: "<group>";q=<requests>;w=<seconds>} and
 * {@code RateLimit: "<group>";r=<remaining>;t=<seconds until full>}); a refused request is {@code 429} as
 * {@code application/problem+json} of the draft's {@code quota-exceeded} type with {@code Retry-After}, counted in
 * {@code chanalytics.ratelimit.refused}, and recorded in the request metrics like any answer (they run first).
 */
public final class RateLimitFilter implements WebFilter, Ordered {

    /** Between Spring Security's filter chain (-100) and the handlers. */
    public static final int ORDER = -50;

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String RATE_LIMIT_HEADER = "RateLimit";
    static final URI QUOTA_EXCEEDED = URI.create("https://iana.org/assignments/http-problem-types#quota-exceeded");

    private final RateLimiter limiter;
    private final ProblemResponses problems;
    private final MeterRegistry meters;

    public RateLimitFilter(RateLimiter limiter, ProblemResponses problems, MeterRegistry meters) {
        this.limiter = limiter;
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        // Inside the request metrics (HIGHEST_PRECEDENCE), so a refused request is recorded, and after sign-in (Spring
        // Security's chain, -100), so a signed-in caller is limited as the token's user rather than by address.
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        Caller caller = callerOf(exchange);
        Optional<Decision> taken =
                limiter.take(request.getMethod().name(), request.getPath().pathWithinApplication(), caller);
        if (taken.isEmpty()) {
            return chain.filter(exchange);
        }
        Decision decision = taken.get();
        HttpHeaders headers = exchange.getResponse().getHeaders();
        headers.set(
                POLICY_HEADER,
                "\"" + decision.group() + "\";q=" + decision.quota().requests() + ";w="
                        + decision.quota().per().toSeconds());
        headers.set(
                RATE_LIMIT_HEADER,
                "\"" + decision.group() + "\";r=" + decision.remaining() + ";t="
                        + (decision.allowed() ? decision.secondsToFull() : decision.retryAfterSeconds()));
        if (decision.allowed()) {
            return chain.filter(exchange);
        }
        Counter.builder("chanalytics.ratelimit.refused")
                .description("Requests refused with 429 by the rate limits")
                .tag("group", decision.group())
                .tag("caller", caller.kind().tag())
                .register(meters)
                .increment();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.TOO_MANY_REQUESTS,
                "More than " + decision.quota().requests() + " requests in "
                        + decision.quota().per().toSeconds()
                        + " s to " + decision.group() + " for this "
                        + (caller.kind() == Caller.Kind.USER ? "user" : "address")
                        + "; retry in " + decision.retryAfterSeconds() + " s");
        problem.setType(QUOTA_EXCEEDED);
        problem.setTitle("Too many requests");
        problem.setProperty("violated-policies", List.of(decision.group()));
        return problems.write(exchange, problem);
    }

    private static Caller callerOf(ServerWebExchange exchange) {
        String user = CallerHeaders.of(exchange).userId();
        if (user != null) {
            return Caller.user(user);
        }
        String address = CallerHeaders.clientAddress(exchange.getRequest());
        return Caller.address(address == null ? "unknown" : address);
    }
}
