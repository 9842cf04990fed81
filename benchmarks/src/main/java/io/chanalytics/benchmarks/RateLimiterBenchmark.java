package io.chanalytics.benchmarks;

import io.chanalytics.api.ratelimit.RateLimitProperties;
import io.chanalytics.api.ratelimit.RateLimitProperties.Quota;
import io.chanalytics.api.ratelimit.RateLimitProperties.RouteGroup;
import io.chanalytics.api.ratelimit.RateLimiter;
import io.chanalytics.api.ratelimit.RateLimiter.Caller;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.http.server.PathContainer;

/**
 * The rate limiter's own CPU per request, in one run: a request of no group (the path matching alone), one that passes
 * (the bucket lookup in the cache and a lock-free take) and one refused. 10,000 callers, so the cache is not one entry;
 * the filter adds two header values and, when refused, the problem body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {

    private static final int CALLERS = 10_000;

    private RateLimiter limiter;
    private Caller[] callers;
    private Caller exhausted;
    private final PathContainer unlimited = PathContainer.parsePath("/internal/ping");
    private final PathContainer product = PathContainer.parsePath("/products/42");
    private int next;

    @Setup
    public void limiter() {
        Quota plenty = new Quota(1_000_000_000L, Duration.ofSeconds(1));
        Quota one = new Quota(1, Duration.ofHours(1));
        limiter = new RateLimiter(new RateLimitProperties(
                true,
                100_000,
                List.of("/actuator/**"),
                List.of(
                        new RouteGroup("checkout", List.of("POST"), List.of("/checkout", "/orders"), one, one),
                        new RouteGroup("writes", List.of("POST", "PUT", "DELETE"), List.of("/**"), one, one),
                        new RouteGroup(
                                "reads", List.of("GET"), List.of("/products/**", "/users/**"), plenty, plenty))));
        callers = new Caller[CALLERS];
        for (int i = 0; i < CALLERS; i++) {
            callers[i] = Caller.user("user-" + i);
        }
        exhausted = Caller.user("exhausted");
        limiter.take("PUT", product, exhausted);
    }

    private Caller nextCaller() {
        Caller caller = callers[next];
        next = next + 1 == CALLERS ? 0 : next + 1;
        return caller;
    }

    @Benchmark
    public Optional<RateLimiter.Decision> noGroup() {
        return limiter.take("GET", unlimited, nextCaller());
    }

    @Benchmark
    public Optional<RateLimiter.Decision> allowed() {
        return limiter.take("GET", product, nextCaller());
    }

    @Benchmark
    public Optional<RateLimiter.Decision> refused() {
        return limiter.take("PUT", product, exhausted);
    }
}
