package io.chanalytics.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.chanalytics.grafana.Dashboards;
import io.chanalytics.stack.RepositoryLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MinuteRollupsAlone} on the repository's own dashboards: every panel that reads an hourly rollup gets a form
 * that reads the minute rollup alone over the whole range, so the benchmark's "before 017" variant is what those panels
 * were, not a query that still reads the hourly table or still leaves the whole hours out.
 */
class MinuteRollupsAloneTests {

    @Test
    void everyLongRangePanelReadsItsMinuteRollupAloneOverTheWholeRange() {
        List<Dashboards.PanelQuery> longRange = Dashboards.ofRepository(RepositoryLayout.root()).panelQueries().stream()
                .filter(panel -> panel.sql().contains("_1h"))
                .toList();

        assertThat(longRange).as("panels reading an hourly rollup").hasSize(7);
        for (Dashboards.PanelQuery panel : longRange) {
            assertThat(MinuteRollupsAlone.applies(panel.sql()))
                    .as(panel.panel())
                    .isTrue();
            String alone = MinuteRollupsAlone.of(panel.sql());
            assertThat(alone)
                    .as(panel.panel())
                    .doesNotContain("_1h", "UNION ALL", "NOT (")
                    .contains("_1m", "$__timeFilter(minute)");
            assertThat(alone.chars().filter(c -> c == '(').count())
                    .as("balanced parentheses in %s", panel.panel())
                    .isEqualTo(alone.chars().filter(c -> c == ')').count());
        }
    }

    @Test
    void aPanelWithoutAnHourlyBranchIsRefused() {
        String minutes = "SELECT countMerge(requests) FROM analytics.request_metrics_1m WHERE $__timeFilter(minute)";

        assertThat(MinuteRollupsAlone.applies(minutes)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> MinuteRollupsAlone.of(minutes));
    }
}
