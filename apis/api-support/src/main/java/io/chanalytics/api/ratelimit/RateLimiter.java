package io.chanalytics.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chanalytics.api.ratelimit.RateLimitProperties.Quota;
import io.chanalytics.api.ratelimit.RateLimitProperties.RouteGroup;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Token buckets (Bucket4j), one per caller and route group, in a bounded cache: a caller gets its quota as a burst and
 * then at the quota's rate. A bucket idle for its group's longest period is dropped (it would be full again anyway);
 * beyond {@code maxCallers} the least recently used go first, so a flood of addresses costs bounded memory. Lock-free
 * and non-blocking: it runs on the event loop.
 */
public final class RateLimiter {

    /** Who is limited: a user (by id) or, for calls without one, a client address. */
    public record Caller(Kind kind, String id) {

        public enum Kind {
            USER,
            IP;

            public String tag() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        public static Caller user(String id) {
            return new Caller(Kind.USER, id);
        }

        public static Caller address(String address) {
            return new Caller(Kind.IP, address);
        }
    }

    /**
     * The answer for one request: its group and the quota applied; whether it may pass; the requests left; seconds
     * until the bucket is full again; when refused, seconds until the next request may pass (at least 1).
     */
    public record Decision(
            String group, Quota quota, boolean allowed, long remaining, long secondsToFull, long retryAfterSeconds) {}

    private record CompiledGroup(RouteGroup group, List<String> methods, List<PathPattern> paths) {

        boolean matches(String method, PathContainer path) {
            return (methods.isEmpty() || methods.contains(method))
                    && paths.stream().anyMatch(pattern -> pattern.matches(path));
        }
    }

    private record BucketKey(String group, Caller caller) {}

    private final List<PathPattern> excluded;
    private final List<CompiledGroup> groups;
    private final Cache<BucketKey, Bucket> buckets;
    private final TimeMeter clock;

    public RateLimiter(RateLimitProperties properties) {
        this(properties, TimeMeter.SYSTEM_NANOTIME);
    }

    RateLimiter(RateLimitProperties properties, TimeMeter clock) {
        PathPatternParser parser = PathPatternParser.defaultInstance;
        this.excluded = properties.excludedPaths().stream().map(parser::parse).toList();
        this.groups = properties.groups().stream()
                .map(group -> new CompiledGroup(
                        group,
                        group.methods().stream()
                                .map(method -> method.toUpperCase(Locale.ROOT))
                                .toList(),
                        group.paths().stream().map(parser::parse).toList()))
                .toList();
        Duration longest = properties.groups().stream()
                .flatMap(group -> Stream.of(group.perUser().per(), group.perIp().per()))
                .max(Duration::compareTo)
                .orElse(Duration.ofMinutes(1));
        this.buckets = Caffeine.newBuilder()
                .maximumSize(properties.maxCallers())
                .expireAfterAccess(longest)
                .build();
        this.clock = clock;
    }

    /** Takes one request from {@code caller}'s bucket of the group the request belongs to; empty: not limited. */
    public Optional<Decision> take(String method, PathContainer path, Caller caller) {
        if (excluded.stream().anyMatch(pattern -> pattern.matches(path))) {
            return Optional.empty();
        }
        String upperMethod = method.toUpperCase(Locale.ROOT);
        for (CompiledGroup compiled : groups) {
            if (compiled.matches(upperMethod, path)) {
                RouteGroup group = compiled.group();
                Quota quota = caller.kind() == Caller.Kind.USER ? group.perUser() : group.perIp();
                Bucket bucket = buckets.get(new BucketKey(group.name(), caller), key -> newBucket(quota));
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                return Optional.of(new Decision(
                        group.name(),
                        quota,
                        probe.isConsumed(),
                        probe.getRemainingTokens(),
                        secondsUp(probe.getNanosToWaitForReset()),
                        probe.isConsumed() ? 0 : Math.max(1, secondsUp(probe.getNanosToWaitForRefill()))));
            }
        }
        return Optional.empty();
    }

    /** Buckets held now (bounded by {@code maxCallers}). */
    long callersHeld() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket newBucket(Quota quota) {
        Bandwidth bandwidth = Bandwidth.builder()
                .capacity(quota.requests())
                .refillGreedy(quota.requests(), quota.per())
                .build();
        return Bucket.builder()
                .addLimit(bandwidth)
                .withCustomTimePrecision(clock)
                .build();
    }

    private static long secondsUp(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
