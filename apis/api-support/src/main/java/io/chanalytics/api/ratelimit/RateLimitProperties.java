package io.chanalytics.api.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The rate limits, {@code chanalytics.rate-limit.*} (the services' values are in {@code chanalytics-service.yml}): route
 * groups, each with a quota per user (the caller's user id) and one per client address (calls without a user). A
 * request takes the first group whose methods and paths match it; requests of no group, and the excluded paths, are not
 * limited.
 */
@ConfigurationProperties("chanalytics.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("100000") int maxCallers,

        @DefaultValue({"/actuator/**", "/docs/**", "/v3/api-docs/**", "/webjars/**"})
        List<String> excludedPaths,

        @DefaultValue List<RouteGroup> groups) {

    public RateLimitProperties {
        if (maxCallers < 1) {
            throw new IllegalArgumentException(
                    "chanalytics.rate-limit.max-callers must be positive, was " + maxCallers);
        }
    }

    /**
     * Requests of {@code methods} (all when empty) to {@code paths} (Spring path patterns); {@code perUser} and
     * {@code perIp} quotas.
     */
    public record RouteGroup(String name, List<String> methods, List<String> paths, Quota perUser, Quota perIp) {

        public RouteGroup {
            if (name == null || name.isBlank() || !name.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException(
                        "chanalytics.rate-limit.groups[].name must be lower-case letters, digits and '-', was " + name);
            }
            methods = methods == null ? List.of() : List.copyOf(methods);
            if (paths == null || paths.isEmpty()) {
                throw new IllegalArgumentException("chanalytics.rate-limit group " + name + " names no paths");
            }
            if (perUser == null || perIp == null) {
                throw new IllegalArgumentException(
                        "chanalytics.rate-limit group " + name + " needs per-user and per-ip");
            }
        }
    }

    /** {@code requests} per {@code per}, refilled continuously; also the burst a caller may send at once. */
    public record Quota(long requests, Duration per) {

        public Quota {
            if (requests < 1 || per == null || per.toSeconds() < 1) {
                throw new IllegalArgumentException("A rate-limit quota needs at least 1 request per at least 1 s, was "
                        + requests + " per " + per);
            }
        }
    }
}
