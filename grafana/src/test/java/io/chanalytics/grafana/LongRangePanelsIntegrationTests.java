package io.chanalytics.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.ingest.RollupViews;
import io.chanalytics.clickhouse.schema.SchemaMigrations;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panels that read the hourly rollups (schema 017) over a range of more than a day, on the real engine with the
 * schema's own files: three days of request events in the raw table, every rollup filled by its own view's query over
 * them, each panel expanded as the plugin does for a range whose edges fall inside hours. Each answer must be the raw
 * rows' own for exactly the minutes the range covers: the whole hours come from the hourly rollups, the edges'
 * minutes from the minute rollups, and nothing is counted twice or left out. Distinct counts are compared exactly
 * ({@code uniq} is exact at these cardinalities) and so are the latency sketches (DDSketch states merge bucket by
 * bucket, so an hour's sketch is the sketch of its values).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LongRangePanelsIntegrationTests {

    private static final Dashboards DASHBOARDS = Dashboards.in(Path.of("dashboards"));

    /**
     * One event every 7 s for three days: about 37,000 events, 16 routes; a user for every 40 events (280 s), so that
     * a range's distinct users depend on its edges to the minute.
     */
    private static final int EVENTS = 3 * 86_400 / 7;

    @TempDir
    static Path dataPath;

    private ChDb db;
    private Instant from;
    private Instant to;
    private GrafanaMacros macros;

    @BeforeAll
    void load() {
        // No broker listens on port 1: the Kafka tables exist but consume nothing; the rows are written here.
        db = ChDb.open(dataPath);
        SchemaMigrations.fromClasspath().apply(db, SchemaVariables.with(Map.of("CH_KAFKA_BROKER_LIST", "127.0.0.1:1")));
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(5));
        db.execute("""
                INSERT INTO analytics.request_metrics (event_id, timestamp, service_name, instance_id, endpoint, method,
                    status_code, response_time_ms, request_size_bytes, response_size_bytes, user_id, session_id,
                    region, _topic, _partition, _offset)
                SELECT generateUUIDv4(number),
                       addMilliseconds(addSeconds(toDateTime64({start:UInt32}, 3), number * 7), number % 1000),
                       ['crud-api', 'ecommerce-api'][number % 2 + 1], 'test',
                       ['/products/{id}', '/users', '/cart', '/checkout'][intDiv(number, 2) % 4 + 1],
                       if(number % 5 = 0, 'POST', 'GET'),
                       multiIf(number % 13 = 0, 503, number % 11 = 0, 404, 200),
                       5 + (number * 37 % 2000) / 10, 100, 1000,
                       if(number % 10 = 0, NULL, concat('u', toString(intDiv(number, 40)))),
                       concat('s', toString(intDiv(number, 300) % 5000)),
                       ['eu-west', 'us-east', 'ap-south', NULL][number % 4 + 1],
                       'request-events', 0, number
                FROM numbers({events:UInt32})
                """, Map.of("start", Long.toString(start.getEpochSecond()), "events", Integer.toString(EVENTS)));
        String raw = RollupViews.rawAsKafka(db, "request_metrics", "analytics.request_metrics FINAL", "");
        List<RollupViews.Rollup> rollups = RollupViews.of(db, "request_metrics");
        assertThat(rollups)
                .extracting(RollupViews.Rollup::table)
                .contains("request_metrics_endpoint_1h", "request_metrics_region_1h");
        for (RollupViews.Rollup rollup : rollups) {
            db.execute("INSERT INTO analytics." + rollup.table() + " SELECT " + rollup.columns() + " FROM ("
                    + rollup.selectFrom("request_metrics", raw) + ")");
        }
        // Edges inside hours: 05:23 on the first day to 16:41 on the third, minutes included as $__timeFilter does.
        from = start.plus(Duration.ofHours(5).plusMinutes(23));
        to = start.plus(Duration.ofDays(2).plusHours(16).plusMinutes(41));
        macros = new GrafanaMacros(from, to, Duration.ofMinutes(10), Map.of("service", List.of(GrafanaMacros.ALL)));
    }

    @AfterAll
    void close() {
        db.close();
    }

    @Test
    @Order(1)
    void distinctUsersAreTheRawRowsDistinctUsers() {
        long expected = rawLong("uniqExact(user_id)");
        assertThat(expected).as("59 h 19 min of events, a user per 40").isBetween(760L, 765L);
        assertThat(Long.parseLong(panel("Unique users").strip())).isEqualTo(expected);
        assertThat(Long.parseLong(panel("Active users").strip())).isEqualTo(expected);
    }

    @Test
    @Order(1)
    void audienceByRegionIsTheRawRowsPerRegion() {
        assertThat(rows(panel("Audience by region")))
                .isEqualTo(rows(
                        raw("SELECT if(ifNull(region, '') = '', 'unknown', region) AS r, uniqExact(user_id) AS users,"
                                + " uniqExact(session_id), count() FROM analytics.request_metrics WHERE %s"
                                + " GROUP BY r ORDER BY users DESC, r")));
    }

    @Test
    @Order(1)
    void activeUsersByRegionHasHourlyPointsEachTheRawRowsOwn() {
        String answer = panel("Active users by region");
        assertThat(rows(answer))
                .isEqualTo(rows(raw(
                        "SELECT toStartOfHour(toDateTime(timestamp)) AS time, if(ifNull(region, '') = '', 'unknown', region) AS r,"
                                + " uniqExact(user_id) FROM analytics.request_metrics WHERE %s"
                                + " GROUP BY time, r ORDER BY time, r")));
        // 05:00 on the first day to 16:00 on the third: 60 hourly points per region.
        assertThat(answer.lines().map(line -> line.split("\t")[0]).distinct().count())
                .isEqualTo(60);
    }

    @Test
    @Order(1)
    void endpointTablesAreTheRawRowsPerRoute() {
        Map<String, String[]> expected = byRoute(
                raw(
                        "SELECT service_name, endpoint, method, count(), avg(toFloat64(response_time_ms)), max(toFloat64(response_time_ms)),"
                                + " countIf(status_code >= 500) / count(),"
                                + " quantilesDD(0.01, 0.5, 0.95, 0.99)(toFloat64(response_time_ms))[2]"
                                + " FROM analytics.request_metrics WHERE %s GROUP BY service_name, endpoint, method"),
                cells -> cells[0] + " " + cells[1] + " " + cells[2]);
        assertThat(expected).hasSize(16);

        // service, endpoint, method, calls, avg_ms, p50, p95, p99 (rounded to 0.1)
        Map<String, String[]> table = byRoute(panel("Response time by endpoint"), c -> c[0] + " " + c[1] + " " + c[2]);
        assertThat(table).containsOnlyKeys(expected.keySet());
        table.forEach((route, cells) -> {
            String[] raw = expected.get(route);
            assertThat(cells[3]).as(route + " calls").isEqualTo(raw[3]);
            assertThat(Double.parseDouble(cells[4]))
                    .as(route + " avg")
                    .isCloseTo(Double.parseDouble(raw[4]), within(0.051));
            assertThat(Double.parseDouble(cells[6]))
                    .as(route + " p95")
                    .isCloseTo(Double.parseDouble(raw[7]), within(0.051));
        });

        // service, method, endpoint, request_count, avg_ms, p50, p95, p99, max_ms, error_rate (limited to 20)
        Map<String, String[]> top = byRoute(panel("Top endpoints by latency"), c -> c[0] + " " + c[2] + " " + c[1]);
        assertThat(top).containsOnlyKeys(expected.keySet());
        top.forEach((route, cells) -> {
            String[] raw = expected.get(route);
            assertThat(cells[3]).as(route + " requests").isEqualTo(raw[3]);
            assertThat(Double.parseDouble(cells[6]))
                    .as(route + " p95")
                    .isCloseTo(Double.parseDouble(raw[7]), within(1e-9));
            assertThat(Double.parseDouble(cells[8]))
                    .as(route + " max")
                    .isCloseTo(Double.parseDouble(raw[5]), within(1e-9));
            assertThat(Double.parseDouble(cells[9]))
                    .as(route + " errors")
                    .isCloseTo(Double.parseDouble(raw[6]), within(1e-12));
        });
    }

    @Test
    @Order(1)
    void p95ByEndpointHasHourlyPointsEachTheRawRowsSketch() {
        Map<String, String[]> expected = byRoute(
                raw(
                        "SELECT toStartOfHour(toDateTime(timestamp)) AS time, concat(service_name, ' ', method, ' ', endpoint),"
                                + " quantilesDD(0.01, 0.5, 0.95, 0.99)(toFloat64(response_time_ms))[2]"
                                + " FROM analytics.request_metrics WHERE %s GROUP BY ALL"),
                cells -> cells[0] + " " + cells[1]);
        Map<String, String[]> series = byRoute(panel("p95 latency by endpoint"), c -> c[0] + " " + c[1]);
        assertThat(series).containsOnlyKeys(expected.keySet());
        series.forEach((point, cells) -> assertThat(Double.parseDouble(cells[2]))
                .as(point)
                .isCloseTo(Double.parseDouble(expected.get(point)[2]), within(1e-9)));
    }

    /**
     * What makes them fast: the whole hours are read from the hourly rollups. Without those rows the panels see only
     * the edges' minutes. Last, as it empties the hourly tables.
     */
    @Test
    @Order(2)
    void theWholeHoursComeFromTheHourlyRollups() {
        db.execute("TRUNCATE TABLE analytics.request_metrics_region_1h");
        db.execute("TRUNCATE TABLE analytics.request_metrics_endpoint_1h");
        // 05:23-06:00 on the first day and 16:00-16:42 on the third: 79 minutes, an event every 7 s.
        long edges = rawLong(
                "count()",
                "(timestamp < toStartOfHour(addSeconds(toDateTime({from:UInt32}), 3599))"
                        + " OR timestamp >= toStartOfHour(addSeconds(toDateTime({to:UInt32}), 60)))");
        assertThat(edges).isBetween(79L * 60 / 7 - 1, 79L * 60 / 7 + 1);
        long calls = panel("Response time by endpoint")
                .lines()
                .mapToLong(line -> Long.parseLong(line.split("\t")[3]))
                .sum();
        assertThat(calls).isEqualTo(edges);
    }

    private String panel(String title) {
        List<Dashboards.PanelQuery> queries = DASHBOARDS.panelQueries().stream()
                .filter(query -> query.panel().equals(title))
                .toList();
        assertThat(queries).as(title).hasSize(1);
        return db.query(macros.expand(queries.getFirst().sql()));
    }

    /** {@code sql} with its {@code %s} replaced by the range's condition on the raw rows' timestamps. */
    private String raw(String sql) {
        return db.query(sql.formatted(window()), parameters());
    }

    private long rawLong(String aggregate) {
        return rawLong(aggregate, "1");
    }

    private long rawLong(String aggregate, String condition) {
        return Long.parseLong(db.query(
                        "SELECT " + aggregate + " FROM analytics.request_metrics WHERE " + window() + " AND "
                                + condition,
                        parameters())
                .strip());
    }

    /** The raw rows of the minutes {@code $__timeFilter(minute)} takes: from its first whole minute to the end of the last. */
    private static String window() {
        return "timestamp >= toDateTime({from:UInt32}) AND timestamp < addSeconds(toDateTime({to:UInt32}), 60)";
    }

    private Map<String, String> parameters() {
        return Map.of("from", Long.toString(from.getEpochSecond()), "to", Long.toString(to.getEpochSecond()));
    }

    /** The answer's rows, sorted: the panels order by their figures, and rows with equal figures come in any order. */
    private static List<String> rows(String answer) {
        return answer.lines().sorted().toList();
    }

    private static Map<String, String[]> byRoute(String answer, Function<String[], String> key) {
        return answer.lines()
                .map(line -> line.split("\t"))
                .collect(Collectors.toMap(
                        key,
                        cells -> cells,
                        (a, b) -> {
                            throw new AssertionError("Two rows for " + Arrays.toString(a));
                        },
                        TreeMap::new));
    }
}
