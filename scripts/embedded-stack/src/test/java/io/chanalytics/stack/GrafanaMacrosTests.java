package io.chanalytics.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrafanaMacrosTests {

    private static final Instant FROM = Instant.parse("2026-11-25T08:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-25T09:00:00Z");

    private final GrafanaMacros all =
            new GrafanaMacros(FROM, TO, Duration.ofSeconds(30), Map.of("service", List.of(GrafanaMacros.ALL)));
    private final GrafanaMacros two =
            new GrafanaMacros(FROM, TO, Duration.ofSeconds(30), Map.of("service", List.of("crud-api", "o'hara")));

    @Test
    void timeMacrosExpandLikeThePlugin() {
        assertThat(all.expand("WHERE $__timeFilter(minute)"))
                .isEqualTo("WHERE minute >= toDateTime(1795593600) AND minute <= toDateTime(1795597200)");
        assertThat(all.expand("$__timeFilter_ms(ts)"))
                .isEqualTo(
                        "ts >= fromUnixTimestamp64Milli(1795593600000) AND ts <= fromUnixTimestamp64Milli(1795597200000)");
        assertThat(all.expand("SELECT $__timeInterval(minute) AS time"))
                .isEqualTo("SELECT toStartOfInterval(toDateTime(minute), INTERVAL 30 second) AS time");
        assertThat(all.expand("x / $__interval_s, $__fromTime, $__toTime_ms"))
                .isEqualTo("x / 30, toDateTime(1795593600), fromUnixTimestamp64Milli(1795597200000)");
        assertThat(all.expand("$__dateFilter(day)"))
                .isEqualTo("day >= toDate('2026-11-25') AND day <= toDate('2026-11-25')");
    }

    @Test
    void conditionalAllDropsTheConditionForAllAndKeepsItForSelectedValues() {
        String sql = "WHERE $__conditionalAll(service_name IN (${service:singlequote}), $service) AND x = 1";
        assertThat(all.expand(sql)).isEqualTo("WHERE 1=1 AND x = 1");
        assertThat(two.expand(sql)).isEqualTo("WHERE service_name IN ('crud-api','o\\'hara') AND x = 1");
    }

    @Test
    void unknownMacrosAndVariablesAndAllOutsideConditionalAllAreErrors() {
        assertThatThrownBy(() -> all.expand("$__timeGroup(x)")).hasMessageContaining("$__timeGroup");
        assertThatThrownBy(() -> all.expand("WHERE region = $region")).hasMessageContaining("$region");
        assertThatThrownBy(() -> all.expand("WHERE service_name IN (${service:singlequote})"))
                .hasMessageContaining("outside $__conditionalAll");
        assertThatThrownBy(() -> all.expand("$__timeFilter(a, b)")).hasMessageContaining("one argument");
    }
}
