package io.chanalytics.benchmarks;

import io.chanalytics.clickhouse.EmbeddedClickHouse;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.clickhouse.schema.SchemaVariables;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.publish.EventPublisher;
import io.chanalytics.metrics.publish.EventPublisherSettings;
import io.chanalytics.metrics.publish.EventTopics;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import io.chanalytics.registry.SchemaRegistryServer;
import io.chanalytics.stack.KafkaBroker;
import io.chanalytics.stack.StackSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmarks 3 and 4 (docs/benchmarks.md) on the embedded stack's own parts (KRaft broker, registry, chDB with the
 * schema): how fast ClickHouse consumes a topic already holding 2,000,000 request events into request_metrics and
 * its rollups, against a direct batched INSERT of the same rows; then, at a steady 1,000 events/s, how long an
 * event takes from {@code publish()} to being counted in the raw table and in the 1-minute rollup.
 */
public final class IngestionFreshnessBenchmark {

    private static final String[] ENDPOINTS = {"/products", "/products/{id}", "/cart", "/checkout", "/orders"};
    private static final String[] REGIONS = {"eu-west", "us-east", "us-west", "ap-south", "sa-east"};
    private static final Duration POLL = Duration.ofMillis(50);

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        int events = List.of(args).stream()
                .filter(arg -> arg.startsWith("--events="))
                .map(arg -> Integer.parseInt(arg.substring("--events=".length())))
                .findFirst()
                .orElse(quick ? 20_000 : 2_000_000);
        Duration steady = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(60);
        Path data = Files.createTempDirectory("chanalytics-bench-ingestion");
        int partitions = 3;
        List<Integer> kafkaPorts = StackSettings.freePorts(2);
        try (var kafka = KafkaBroker.start(
                        data.resolve("kafka"),
                        kafkaPorts.get(0),
                        kafkaPorts.get(1),
                        EventTopics.DEFAULTS.all(),
                        partitions);
                var registryServer = SchemaRegistryServer.start(0);
                var publisher = EventPublisher.connect(
                        kafka.bootstrapServers(),
                        EventPublisherSettings.DEFAULTS,
                        new SchemaRegistryClient(registryServer.baseUri()),
                        new SimpleMeterRegistry())) {
            System.out.printf(
                    Locale.ROOT,
                    "Ingestion (3): %,d request events in a %d-partition topic before ClickHouse subscribes%n",
                    events,
                    partitions);
            long fillStarted = System.nanoTime();
            var random = new SplittableRandom(7);
            Instant base = Instant.now().minus(Duration.ofHours(1));
            for (int i = 0; i < events; i++) {
                while (!publisher.publish(event(random, "ingest-bench", base.plusMillis(i / 20)))) {
                    LockSupport.parkNanos(100_000); // the queue is full: wait for the producer, drop nothing
                }
            }
            if (!publisher.awaitIdle(Duration.ofMinutes(5)) || publisher.stats().failed() > 0) {
                throw new IllegalStateException("The topic was not filled: " + publisher.stats());
            }
            System.out.printf(
                    Locale.ROOT,
                    "  filled in %.1f s (%,.0f events/s published)%n",
                    seconds(fillStarted),
                    events / seconds(fillStarted));

            Map<String, String> variables = SchemaVariables.with(Map.of(
                    "CH_KAFKA_BROKER_LIST", kafka.bootstrapServers(),
                    "CH_SCHEMA_REGISTRY_URL", registryServer.baseUri().toString()));
            long consumeStarted = System.nanoTime();
            try (var clickHouse = EmbeddedClickHouse.start(data.resolve("clickhouse"), variables)) {
                ChDb engine = clickHouse.engine();
                double consumed = awaitCount(engine, "ingest-bench", events, consumeStarted, Duration.ofMinutes(20));
                double rolledUp = awaitRollup(engine, "ingest-bench", events, consumeStarted, Duration.ofMinutes(5));
                double direct = directInsert(engine, events);
                System.out.printf(
                        Locale.ROOT,
                        "  Kafka engine (the schema) -> request_metrics and its rollups: %.1f s, %,.0f rows/s (rollups complete at"
                                + " %.1f s)%n  direct batched INSERT of the same rows into a copy of request_metrics"
                                + " (65,536-row blocks, no views): %,.0f rows/s%n  ratio Kafka path / direct: %.2f%n",
                        consumed,
                        events / consumed,
                        rolledUp,
                        direct,
                        (events / consumed) / direct);
                System.out.println("  the topic again, each variant through a Kafka table of its own:");
                var run = new VariantRun(
                        engine,
                        kafka.bootstrapServers(),
                        registryServer.baseUri().toString(),
                        events);
                viewsAgainstDecoding(run, quick ? 1 : 3);
                System.out.println("  settings: "
                        + engine.query(
                                        "SELECT arrayStringConcat(arrayFilter(s -> s LIKE 'kafka_%', splitByString(', ',"
                                                + " extract(create_table_query, 'SETTINGS (.*)$'))), ', ')"
                                                + " FROM system.tables WHERE database = 'analytics'"
                                                + " AND name = 'kafka_request_metrics'",
                                        "TabSeparatedRaw")
                                .strip()
                        + "; kafka_max_block_size default ("
                        + engine.queryValue("SELECT value FROM system.settings WHERE name = 'max_insert_block_size'")
                        + " rows, max_insert_block_size); "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores");

                // A consumer's flush at the schema's rate: three consumers, about 60,000 rows/s, 1 s.
                ViewCosts.print(engine, "ingest-bench", 20_000, quick ? 1 : 3);
                endToEnd(engine, publisher, events / 2);
                freshness(engine, publisher, steady);
            }
        }
    }

    /**
     * The whole path at once, as a service and ClickHouse share a machine: events published through
     * {@link EventPublisher} as fast as its queue takes them while the schema's Kafka table (every view attached) reads
     * the topic, timed from the first publish until the raw table and the 1-minute rollup count them all.
     */
    private static void endToEnd(ChDb engine, EventPublisher publisher, int events) {
        String service = "ingest-end-to-end";
        var random = new SplittableRandom(13);
        Instant base = Instant.now().minus(Duration.ofMinutes(30));
        long started = System.nanoTime();
        for (int i = 0; i < events; i++) {
            while (!publisher.publish(event(random, service, base.plusMillis(i / 20)))) {
                LockSupport.parkNanos(100_000); // the queue is full: wait for the producer, drop nothing
            }
        }
        double published = seconds(started);
        double counted = awaitCount(engine, service, events, started, Duration.ofMinutes(20));
        double rolledUp = awaitRequests(engine, "request_metrics_1m", service, events, started, Duration.ofMinutes(5));
        System.out.printf(
                Locale.ROOT,
                "End to end (3): %,d events through EventPublisher while the schema's Kafka table reads them (all views,"
                        + " the publisher, the broker and ClickHouse on the same %d cores)%n"
                        + "  all published at %.1f s (%,.0f events/s); all in request_metrics at %.1f s: %,.0f rows/s;"
                        + " in request_metrics_1m at %.1f s%n",
                events,
                Runtime.getRuntime().availableProcessors(),
                published,
                events / published,
                counted,
                events / counted,
                rolledUp);
    }

    /** Benchmark 4: publish at a steady 1,000 events/s, poll both tables, and time each event until counted. */
    private static void freshness(ChDb engine, EventPublisher publisher, Duration steady) {
        int rate = 1_000;
        int total = (int) (rate * steady.toSeconds());
        long[] published = new long[total];
        var random = new SplittableRandom(11);
        long started = System.nanoTime();
        List<Long> rawLatencies = new ArrayList<>();
        List<Long> rollupLatencies = new ArrayList<>();
        int sent = 0;
        int seenRaw = 0;
        int seenRollup = 0;
        long nextPoll = started;
        while (seenRollup < total) {
            long now = System.nanoTime();
            long due = Math.min(total, (now - started) * rate / 1_000_000_000L);
            while (sent < due) {
                published[sent] = System.nanoTime();
                if (!publisher.publish(event(random, "freshness-bench", Instant.now()))) {
                    throw new IllegalStateException("The publisher dropped an event at 1,000/s");
                }
                sent++;
            }
            if (now >= nextPoll) {
                long raw = engine.queryLong(
                        "SELECT count() FROM analytics.request_metrics WHERE service_name = 'freshness-bench'");
                long rollup = engine.queryLong("SELECT countMerge(requests) FROM analytics.request_metrics_1m"
                        + " WHERE service_name = 'freshness-bench'");
                long seenAt = System.nanoTime();
                // Events become visible in publish order within a partition; across partitions the k-th visible
                // row stands for the k-th published event, which is what a reader of the panel experiences.
                for (; seenRaw < Math.min(raw, sent); seenRaw++) {
                    rawLatencies.add(seenAt - published[seenRaw]);
                }
                for (; seenRollup < Math.min(rollup, sent); seenRollup++) {
                    rollupLatencies.add(seenAt - published[seenRollup]);
                }
                nextPoll = seenAt + POLL.toNanos();
                if (Duration.ofNanos(seenAt - started).compareTo(steady.plusMinutes(2)) > 0) {
                    throw new IllegalStateException("Events did not arrive: raw " + raw + ", rollup " + rollup);
                }
            }
            LockSupport.parkNanos(200_000);
        }
        System.out.printf(
                Locale.ROOT,
                "Freshness (4): %,d events at %,d/s for %d s, publish() to counted (polled every %d ms)%n"
                        + "  raw request_metrics:  p50 %s, p95 %s, max %s%n"
                        + "  request_metrics_1m:   p50 %s, p95 %s, max %s%n",
                total,
                rate,
                steady.toSeconds(),
                POLL.toMillis(),
                percentile(rawLatencies, 0.50),
                percentile(rawLatencies, 0.95),
                percentile(rawLatencies, 1.0),
                percentile(rollupLatencies, 0.50),
                percentile(rollupLatencies, 0.95),
                percentile(rollupLatencies, 1.0));
    }

    private static double awaitCount(ChDb engine, String service, long expected, long started, Duration timeout) {
        return await(
                engine,
                "SELECT count() FROM analytics.request_metrics WHERE service_name = {service:String}",
                Map.of("service", service),
                expected,
                started,
                timeout);
    }

    private static double awaitRollup(ChDb engine, String service, long expected, long started, Duration timeout) {
        for (String rollup : List.of("request_metrics_1m", "request_metrics_status_1m")) {
            awaitRequests(engine, rollup, service, expected, started, timeout);
        }
        return await(
                engine,
                "SELECT countMerge(requests) FROM analytics.request_metrics_region_1m WHERE minute >= now() - INTERVAL"
                        + " 1 DAY",
                expected,
                started,
                timeout);
    }

    /** Until {@code rollup} (a table name of the schema) counts {@code expected} requests of {@code service}. */
    private static double awaitRequests(
            ChDb engine, String rollup, String service, long expected, long started, Duration timeout) {
        return await(
                engine,
                "SELECT countMerge(requests) FROM analytics." + rollup + " WHERE service_name = {service:String}",
                Map.of("service", service),
                expected,
                started,
                timeout);
    }

    private static double await(ChDb engine, String sql, long expected, long started, Duration timeout) {
        return await(engine, sql, Map.of(), expected, started, timeout);
    }

    private static double await(
            ChDb engine, String sql, Map<String, String> parameters, long expected, long started, Duration timeout) {
        while (engine.queryLong(sql, parameters) < expected) {
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(timeout) > 0) {
                throw new IllegalStateException("Not all rows arrived within " + timeout + ": "
                        + engine.query(sql, parameters).strip() + " of " + expected);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
        return seconds(started);
    }

    /** How a variant's Kafka table is set and which of the request stream's views it feeds. */
    private record Variant(String label, String settings, Feed feed) {}

    private enum Feed {
        /** Only decoding: the raw view's SELECT into a Null table. */
        DECODE_ONLY,
        /** The raw view only, into a copy of request_metrics. */
        RAW,
        /** All the request stream's views but the hourly rollups (017), into copies of their tables. */
        WITHOUT_HOURLY,
        /** All the request stream's views (raw, ledgers, every rollup), into copies of their tables. */
        ALL_VIEWS
    }

    /**
     * Part 1 of issue 24: the views' cost as the rate they leave of decoding alone on the same consumers. One round of
     * each consumer count, then {@code rounds} alternated rounds of the schema's three consumers, whose median ratio is
     * the figure (single rounds of this pair spread from 0.65 to 0.84 over six runs on this machine).
     */
    private static void viewsAgainstDecoding(VariantRun run, int rounds) {
        String flush = ", kafka_flush_interval_ms = 1000";
        String one = "kafka_num_consumers = 1" + flush;
        String two = "kafka_num_consumers = 2, kafka_thread_per_consumer = 1" + flush;
        String three = "kafka_num_consumers = 3, kafka_thread_per_consumer = 1" + flush;
        double decodeOne = run.rate(new Variant("decode only (Null table), 1 consumer", one, Feed.DECODE_ONLY));
        double viewsOne = run.rate(new Variant("all the schema's views, 1 consumer (before 013)", one, Feed.ALL_VIEWS));
        double decodeTwo = run.rate(new Variant("decode only, 2 consumers on own threads", two, Feed.DECODE_ONLY));
        double viewsTwo = run.rate(new Variant("all the schema's views, 2 consumers", two, Feed.ALL_VIEWS));
        run.rate(new Variant("raw view only, 1 consumer", one, Feed.RAW));
        double withoutHourly = run.rate(
                new Variant("all but the hourly rollups, 3 consumers (before 017)", three, Feed.WITHOUT_HOURLY));
        List<Double> ratios = new ArrayList<>();
        List<Double> decodes = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double decode = run.rate(
                    new Variant("decode only, 3 consumers on own threads, round " + round, three, Feed.DECODE_ONLY));
            double views = run.rate(new Variant(
                    "all the schema's views, 3 consumers (the schema), round " + round, three, Feed.ALL_VIEWS));
            decodes.add(decode);
            ratios.add(views / decode);
        }
        System.out.printf(
                Locale.ROOT,
                "  views / decoding alone on the same consumers: 1 consumer %.2f, 2 consumers %.2f, 3 consumers (the"
                        + " schema) median %.2f of %d alternated rounds %s (target >= 0.75); before 017 on 3: %.2f of the"
                        + " decode rounds' median%n",
                viewsOne / decodeOne,
                viewsTwo / decodeTwo,
                LoadRuns.median(ratios),
                rounds,
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList(),
                withoutHourly / LoadRuns.median(decodes));
    }

    /** Runs variants one after another, each through a Kafka table and copies of its own, cleaned up after it. */
    private static final class VariantRun {
        private final ChDb engine;
        private final String brokers;
        private final String registry;
        private final long events;
        private int index;

        VariantRun(ChDb engine, String brokers, String registry, long events) {
            this.engine = engine;
            this.brokers = brokers;
            this.registry = registry;
            this.events = events;
        }

        /**
         * The topic consumed again by a Kafka table of the variant's own (its own consumer group, so it reads from
         * the start) feeding the request stream's views (read from the engine) into copies of their tables; prints
         * the rows/s and where the process's CPU went, and returns the rows/s. The copies are dropped afterwards, so
         * that their merges do not run into the next variant.
         */
        double rate(Variant v) {
            String suffix = "_variant" + index++;
            String kafkaTable = "analytics.kafka_request_metrics" + suffix;
            String rawCopy = "analytics.request_metrics" + suffix;
            engine.execute("CREATE TABLE " + kafkaTable + " AS analytics.kafka_request_metrics ENGINE = Kafka SETTINGS"
                    + " kafka_broker_list = '" + brokers + "', kafka_topic_list = 'request-events',"
                    + " kafka_group_name = 'bench" + suffix + "', kafka_format = 'AvroConfluent',"
                    + " format_avro_schema_registry_url = '" + registry + "', kafka_handle_error_mode = 'stream', "
                    + v.settings());
            engine.execute("CREATE TABLE " + rawCopy + " AS analytics.request_metrics"
                    + (v.feed() == Feed.DECODE_ONLY ? " ENGINE = Null" : ""));
            var copies = new ViewCopies(engine, suffix);
            copies.own(rawCopy);
            var cpuBefore = ThreadCpu.snapshot();
            long started = System.nanoTime();
            for (SchemaViews view : SchemaViews.readingKafka(engine)) {
                boolean raw = view.target().equals("analytics.request_metrics");
                boolean fed = raw
                        || v.feed() == Feed.ALL_VIEWS
                        || (v.feed() == Feed.WITHOUT_HOURLY && !view.target().endsWith("_1h"));
                if (view.source().equals("analytics.kafka_request_metrics") && fed) {
                    copies.attach(view, kafkaTable, raw ? rawCopy : view.target() + suffix);
                }
            }
            String counted = v.feed() == Feed.DECODE_ONLY
                    ? "SELECT value FROM system.events WHERE event = 'KafkaRowsRead'"
                    : "SELECT count() FROM " + rawCopy + " WHERE service_name = 'ingest-bench'";
            long baseline = v.feed() == Feed.DECODE_ONLY ? engine.queryLong(counted) : 0;
            double took =
                    await(engine, "SELECT (" + counted + ") - " + baseline, events, started, Duration.ofMinutes(20));
            if (v.feed() == Feed.ALL_VIEWS || v.feed() == Feed.WITHOUT_HOURLY) {
                took = await(
                        engine,
                        "SELECT countMerge(requests) FROM analytics.request_metrics_1m" + suffix
                                + " WHERE service_name = 'ingest-bench'",
                        events,
                        started,
                        Duration.ofMinutes(5));
            }
            String cpu = ThreadCpu.snapshot().since(cpuBefore, 5);
            engine.execute("DROP TABLE " + kafkaTable); // stops its consumers before the next variant
            copies.close();
            System.out.printf(Locale.ROOT, "  %-45s %6.1f s %,9.0f rows/s   %s%n", v.label(), took, events / took, cpu);
            return events / took;
        }
    }

    /** The same rows, inserted by the engine in 65,536-row blocks into a copy of the raw table. */
    private static double directInsert(ChDb engine, long events) {
        engine.execute("CREATE TABLE analytics.request_metrics_direct AS analytics.request_metrics");
        engine.execute("CREATE TABLE analytics.request_metrics_staged ENGINE = Memory AS SELECT * FROM"
                + " analytics.request_metrics WHERE service_name = 'ingest-bench'");
        long started = System.nanoTime();
        for (long offset = 0; offset < events; offset += 65_536) {
            engine.execute("INSERT INTO analytics.request_metrics_direct SELECT * FROM analytics.request_metrics_staged"
                    + " LIMIT 65536 OFFSET " + offset);
        }
        double rate = events / seconds(started);
        engine.execute("DROP TABLE analytics.request_metrics_staged");
        return rate;
    }

    static RequestEvent event(SplittableRandom random, String service, Instant timestamp) {
        int user = random.nextInt(2_000);
        String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
        return RequestEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTimestamp(timestamp)
                .setServiceName(service)
                .setInstanceId(service + "-" + random.nextInt(2))
                .setEndpoint(endpoint)
                .setMethod(endpoint.equals("/checkout") ? "POST" : "GET")
                .setStatusCode(random.nextInt(100) < 95 ? 200 : 503)
                .setResponseTimeMs(Math.exp(3 + 0.6 * random.nextDouble()))
                .setRequestSizeBytes(endpoint.equals("/checkout") ? 300 : 0)
                .setResponseSizeBytes(300 + random.nextInt(8_000))
                .setUserId("user-" + user)
                .setSessionId("session-" + user + "-" + timestamp.getEpochSecond() / 1800)
                .setClientIp("10.0." + user / 250 + "." + user % 250)
                .setRegion(REGIONS[user % REGIONS.length])
                .setUserAgent("Mozilla/5.0 (bench)")
                .build();
    }

    private static String percentile(List<Long> nanos, double quantile) {
        List<Long> sorted = nanos.stream().sorted().toList();
        long value = sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
        return String.format(Locale.ROOT, "%.2f s", value / 1e9);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
