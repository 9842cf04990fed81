package io.chanalytics.stack.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one replay covers: the rejected messages of {@code topic} that ClickHouse received in [{@code from},
 * {@code to}), at most {@code limit} of them; {@code retryFailed} also takes messages whose earlier replays all failed
 * again; {@code dryRun} only counts; {@code consumeWait} bounds how long the run waits for ClickHouse to consume its copies.
 */
public record ReplayOptions(
        String topic, Instant from, Instant to, int limit, boolean retryFailed, boolean dryRun, Duration consumeWait) {

    /** Where the options are described (the script's header; one copy). */
    public static final String USAGE = "see scripts/replay-ingest-errors.sh --help";

    private static final Pattern AGO = Pattern.compile("(\\d+)([smhd])");

    public ReplayOptions {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("--topic is required");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
        }
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1, not " + limit);
        }
    }

    /** The options of the command line, relative times taken back from {@code now}. */
    public static ReplayOptions parse(List<String> args, Instant now) {
        String topic = null;
        Instant from = Instant.EPOCH;
        Instant to = now;
        int limit = 100_000;
        boolean retryFailed = false;
        boolean dryRun = false;
        Duration wait = Duration.ofSeconds(120);
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String option = rest.removeFirst();
            switch (option) {
                case "--topic" -> topic = value(option, rest);
                case "--from" -> from = when(value(option, rest), now);
                case "--to" -> to = when(value(option, rest), now);
                case "--limit" -> limit = number(option, value(option, rest));
                case "--wait" -> wait = Duration.ofSeconds(number(option, value(option, rest)));
                case "--retry-failed" -> retryFailed = true;
                case "--dry-run" -> dryRun = true;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new ReplayOptions(topic, from, to, limit, retryFailed, dryRun, wait);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.removeFirst();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not " + value);
        }
    }

    static Instant when(String value, Instant now) {
        Matcher ago = AGO.matcher(value);
        if (ago.matches()) {
            long amount = Long.parseLong(ago.group(1));
            Duration unit = switch (ago.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return now.minus(unit.multipliedBy(amount));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "not an instant (2026-12-02T10:00:00Z) or a time back from now (90m, 6h, 7d): " + value);
        }
    }
}
