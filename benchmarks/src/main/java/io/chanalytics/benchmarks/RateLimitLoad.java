package io.chanalytics.benchmarks;

import static io.chanalytics.benchmarks.LoadRuns.generate;
import static io.chanalytics.benchmarks.LoadRuns.median;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rate limits under load (issue 22), a part of {@link ServiceLoadBenchmark}: the stack's crud-api with the limits
 * of chanalytics-service.yml against one with {@code RATE_LIMIT_ENABLED=false}, both recording. One user reads the
 * catalogue at twice its limit: the share refused with 429 should be a half, and the accepted requests' p99 that of
 * the same load on the instance without limits. Then many users at a rate no limit touches, alternated between the
 * instances: the service CPU per request the limiter adds.
 */
final class RateLimitLoad {

    /** The reads group's per-user limit in chanalytics-service.yml: 1200 a minute. */
    private static final int USER_LIMIT_PER_SECOND = 20;

    private final boolean quick;

    RateLimitLoad(boolean quick) {
        this.quick = quick;
    }

    /** The environment of an instance without limits, next to the stack's own. */
    static Map<String, String> withoutLimits(Map<String, String> serviceEnvironment) {
        Map<String, String> environment = new HashMap<>(serviceEnvironment);
        environment.put("RATE_LIMIT_ENABLED", "false");
        return environment;
    }

    void run(URI limited, long limitedPid, URI unlimited, long unlimitedPid) throws Exception {
        // Both instances' JIT, pools and caches, at a rate no limit touches (a user per request).
        int warmup = quick ? 3 : 60;
        generate("product", limited, 100, warmup);
        generate("product", unlimited, 100, warmup);
        twiceTheLimit(limited, unlimited);
        limiterCost(limited, limitedPid, unlimited, unlimitedPid);
    }

    /** One user at twice its limit, after its burst allowance is spent: the 429 share and the accepted p99. */
    private void twiceTheLimit(URI limited, URI unlimited) throws Exception {
        int rate = 2 * USER_LIMIT_PER_SECOND;
        int seconds = quick ? 3 : 60;
        // The bucket starts full (a minute's worth): at twice the limit it empties in a minute, not counted.
        generate("product-one-user", limited, rate, quick ? 3 : 65);
        Map<String, String> withLimits = generate("product-one-user", limited, rate, seconds);
        Map<String, String> without = generate("product-one-user", unlimited, rate, seconds);
        double share = Double.parseDouble(withLimits.get("refused")) / Double.parseDouble(withLimits.get("offered"));
        double p99With = Double.parseDouble(withLimits.get("p99_ms"));
        double p99Without = Double.parseDouble(without.get("p99_ms"));
        System.out.printf(
                Locale.ROOT,
                "One user at twice its limit (%d/s against %d/s, %d s after the burst allowance is spent):%n"
                        + "  refused with 429: %s of %s, share %.3f (target 0.50 +- 0.05)%n"
                        + "  accepted p99 %.2f ms, the same load without limits %.2f ms (%s refused), ratio %.2f"
                        + " (target <= 1.10)%n",
                rate,
                USER_LIMIT_PER_SECOND,
                seconds,
                withLimits.get("refused"),
                withLimits.get("offered"),
                share,
                p99With,
                p99Without,
                without.get("refused"),
                p99With / p99Without);
    }

    /** Many users (no limit reached), alternated rounds: service CPU per request and p99 with and without limits. */
    private void limiterCost(URI limited, long limitedPid, URI unlimited, long unlimitedPid) throws Exception {
        int rate = 100;
        int rounds = quick ? 1 : 5;
        int seconds = quick ? 3 : 20;
        List<Double> cpuWith = new ArrayList<>();
        List<Double> cpuWithout = new ArrayList<>();
        List<Double> p99With = new ArrayList<>();
        List<Double> p99Without = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            LoadRuns.Run with = LoadRuns.measured("product", limited, limitedPid, rate, seconds);
            LoadRuns.Run without = LoadRuns.measured("product", unlimited, unlimitedPid, rate, seconds);
            cpuWith.add(with.serviceCpuMicrosPerRequest());
            p99With.add(with.p99());
            cpuWithout.add(without.serviceCpuMicrosPerRequest());
            p99Without.add(without.p99());
        }
        System.out.printf(
                Locale.ROOT,
                "Limiter cost, GET /products/{id} by distinct users at %d/s, %d x %d s alternated, medians:%n"
                        + "  service CPU per request: limits on %.0f us, off %.0f us, difference %.0f us, ratio %.2f%n"
                        + "  p99: on %.2f ms, off %.2f ms, ratio %.2f%n",
                rate,
                rounds,
                seconds,
                median(cpuWith),
                median(cpuWithout),
                median(cpuWith) - median(cpuWithout),
                median(cpuWith) / median(cpuWithout),
                median(p99With),
                median(p99Without),
                median(p99With) / median(p99Without));
    }
}
