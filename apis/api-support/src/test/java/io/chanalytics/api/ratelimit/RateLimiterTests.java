package io.chanalytics.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.api.ratelimit.RateLimitProperties.Quota;
import io.chanalytics.api.ratelimit.RateLimitProperties.RouteGroup;
import io.chanalytics.api.ratelimit.RateLimiter.Caller;
import io.chanalytics.api.ratelimit.RateLimiter.Decision;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;

/** The limiter alone, on a clock the test moves: rates over minutes in milliseconds of test. */
class RateLimiterTests {

    private static final Quota PER_USER = new Quota(60, Duration.ofMinutes(1));
    private static final Quota PER_IP = new Quota(600, Duration.ofMinutes(1));
    private static final List<RouteGroup> GROUPS = List.of(
            new RouteGroup(
                    "checkout", List.of("POST"), List.of("/checkout"), new Quota(3, Duration.ofMinutes(1)), PER_IP),
            new RouteGroup("writes", List.of("post", "PUT", "DELETE"), List.of("/**"), PER_USER, PER_IP),
            new RouteGroup("reads", List.of("GET"), List.of("/products/**"), PER_USER, PER_IP));

    private final AtomicLong now = new AtomicLong();
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    private RateLimiter limiter(int maxCallers) {
        return new RateLimiter(new RateLimitProperties(true, maxCallers, List.of("/actuator/**"), GROUPS), clock);
    }

    /** The figure: at twice a user's limit, sustained, half the requests are refused (0.5 +- 0.05). */
    @Test
    void atTwiceTheLimitHalfTheRequestsAreRefused() {
        RateLimiter limiter = limiter(1_000);
        Caller user = Caller.user("u-1");
        long interval = Duration.ofMinutes(1).toNanos() / (2 * PER_USER.requests());
        int requests = 0;
        int refused = 0;
        for (long minute = 0; minute < 30; minute++) {
            for (int i = 0; i < 2 * PER_USER.requests(); i++) {
                requests++;
                if (!take(limiter, "GET", "/products/7", user).allowed()) {
                    refused++;
                }
                now.addAndGet(interval);
            }
        }
        // The first minute's burst (a full bucket) is the only excess over half.
        assertThat((double) refused / requests).isBetween(0.45, 0.55);
    }

    @Test
    void aBurstOfTheQuotaPassesThenRetryAfterSaysWhenTheNextOneMay() {
        RateLimiter limiter = limiter(1_000);
        Caller user = Caller.user("u-2");
        for (int i = 0; i < 60; i++) {
            Decision decision = take(limiter, "PUT", "/products/1", user);
            assertThat(decision.allowed()).as("request %d", i + 1).isTrue();
            assertThat(decision.remaining()).isEqualTo(59 - i);
        }
        Decision refused = take(limiter, "PUT", "/products/1", user);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.group()).isEqualTo("writes");
        assertThat(refused.retryAfterSeconds())
                .as("one request's worth of refill: 1 s")
                .isEqualTo(1);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(take(limiter, "PUT", "/products/1", user).allowed()).isTrue();
    }

    @Test
    void usersAddressesAndGroupsHaveBucketsOfTheirOwn() {
        RateLimiter limiter = limiter(1_000);
        for (int i = 0; i < 3; i++) {
            assertThat(take(limiter, "POST", "/checkout", Caller.user("a")).allowed())
                    .isTrue();
        }
        Decision fourth = take(limiter, "POST", "/checkout", Caller.user("a"));
        assertThat(fourth.allowed())
                .as("the first matching group: checkout, not writes")
                .isFalse();
        assertThat(fourth.group()).isEqualTo("checkout");

        assertThat(take(limiter, "POST", "/checkout", Caller.user("b")).allowed())
                .isTrue();
        assertThat(take(limiter, "POST", "/checkout", Caller.address("a")).allowed())
                .as("an address named like a user is another caller")
                .isTrue();
        assertThat(take(limiter, "POST", "/products", Caller.user("a")).allowed())
                .isTrue();
        assertThat(take(limiter, "POST", "/checkout", Caller.address("10.0.0.1"))
                        .quota())
                .isEqualTo(PER_IP);
    }

    @Test
    void excludedPathsAndRequestsOfNoGroupAreNotLimited() {
        RateLimiter limiter = limiter(1_000);
        assertThat(limiter.take("GET", PathContainer.parsePath("/actuator/health"), Caller.user("a")))
                .isEmpty();
        assertThat(limiter.take("GET", PathContainer.parsePath("/orders"), Caller.user("a")))
                .as("GET outside /products/**")
                .isEmpty();
    }

    @Test
    void aFloodOfAddressesHoldsAtMostMaxCallersBuckets() {
        RateLimiter limiter = limiter(100);
        for (int i = 0; i < 5_000; i++) {
            take(limiter, "GET", "/products", Caller.address("10.0." + (i / 256) + "." + (i % 256)));
        }
        assertThat(limiter.callersHeld()).isLessThanOrEqualTo(100);
    }

    @Test
    void aQuotaBelowOneRequestPerSecondIsRefusedAtStart() {
        assertThatThrownBy(() -> new Quota(0, Duration.ofMinutes(1))).hasMessageContaining("at least 1 request");
        assertThatThrownBy(() -> new RouteGroup("Bad Name", List.of(), List.of("/**"), PER_USER, PER_IP))
                .hasMessageContaining("lower-case");
    }

    private static Decision take(RateLimiter limiter, String method, String path, Caller caller) {
        Optional<Decision> decision = limiter.take(method, PathContainer.parsePath(path), caller);
        assertThat(decision).as(method + " " + path).isPresent();
        return decision.get();
    }
}
