package io.chanalytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chanalytics.clickhouse.engine.ChDb;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.publish.EventTopics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ingestion path on real parts: events published through the services' {@code EventPublisher} to a real
 * Kafka broker, Avro in the Confluent wire format with the schema registry, consumed by the real ClickHouse engine
 * (chDB) through the Kafka engine tables and materialized views of the schema files. One engine (chDB opens Kafka
 * tables once per process), broker and data set for the class, published before any test; each test runs alone too:
 * exact counts are taken within the data set's time window, and the poison test adds only events after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestionPipelineIntegrationTests {

    // -Dchanalytics.test.requests=20000 measures storage on a larger sample; the default keeps the build quick.
    private static final int REQUESTS = Integer.getInteger("chanalytics.test.requests", 600);
    private static final int BUSINESS = 300;
    private static final int SYSTEM = 40;
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataPath;

    private IngestionStack stack;
    private EmbeddedClickHouse clickHouse;
    private ChDb engine;
    private TestEvents events;
    private Instant start;
    private Instant end;

    @BeforeAll
    void startStack() {
        stack = IngestionStack.start();
        clickHouse = stack.startClickHouse(dataPath);
        engine = clickHouse.engine();
        // Two whole hours that ended at the start of this hour: inside every TTL, split over two hours for the
        // revenue-per-hour query.
        end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        start = end.minus(Duration.ofHours(2));
        events = TestEvents.generate(42, REQUESTS, BUSINESS, SYSTEM, start, Duration.between(start, end));
        publishTheDataSet();
    }

    private long publishStarted;
    private long acknowledged;
    private long visible;

    private void publishTheDataSet() {
        List<SpecificRecord> all = new ArrayList<>();
        all.addAll(events.requests());
        all.addAll(events.business());
        all.addAll(events.system());
        publishStarted = System.nanoTime();
        stack.publishAll(all);
        acknowledged = System.nanoTime();
        await("all rows visible")
                .atMost(VISIBLE_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> count("request_metrics") >= REQUESTS
                        && count("business_events") >= BUSINESS
                        && count("system_metrics") >= SYSTEM);
        visible = System.nanoTime();
        assertThat(engine.queryLong("SELECT count() FROM analytics.ingest_errors"))
                .as("the data set is valid: no ingest error")
                .isZero();
    }

    @AfterAll
    void stopStack() {
        if (clickHouse != null) {
            clickHouse.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The Kafka tables insert with the server's default profile of clickhouse/docker/users.d/ingestion.xml
     * ({@link IngestionProfile}): optimize_on_insert = 0, so two copies of one event published together (one block)
     * are both written, and FINAL folds them; with ClickHouse's default the insert folds them itself, and the count
     * below never reaches 2. Merges are stopped meanwhile, so that only the insert can have folded them.
     */
    @Test
    void theKafkaTablesInsertWithTheServersDefaultProfile() {
        assertThat(engine.query("SELECT toString(getSetting('optimize_on_insert'))")
                        .strip())
                .isIn("0", "false");
        RequestEvent copy = RequestEvent.newBuilder(events.requests().getFirst())
                .setEventId(UUID.randomUUID())
                .setServiceName("profile-check")
                .setTimestamp(end.plusSeconds(60))
                .build();
        engine.execute("SYSTEM STOP MERGES analytics.request_metrics");
        try {
            stack.publishAll(List.of(copy, copy));
            String rows = "SELECT count() FROM analytics.request_metrics%s WHERE service_name = 'profile-check'";
            await("both copies written")
                    .atMost(VISIBLE_WITHIN)
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(engine.queryLong(rows.formatted("")))
                            .as("rows of the two copies before any merge")
                            .isEqualTo(2));
            assertThat(engine.queryLong(rows.formatted(" FINAL"))).isEqualTo(1);
        } finally {
            engine.execute("SYSTEM START MERGES analytics.request_metrics");
        }
    }

    @Test
    void everyPublishedEventArrivesOnceFieldForField(TestReporter reporter) {
        reporter.publishEntry(
                "visibility",
                "%d+%d+%d events visible %d ms after the first publish, %d ms after the broker acknowledged the last"
                        .formatted(
                                REQUESTS,
                                BUSINESS,
                                SYSTEM,
                                (visible - publishStarted) / 1_000_000,
                                (visible - acknowledged) / 1_000_000));

        assertThat(count("request_metrics")).isEqualTo(REQUESTS);
        assertThat(count("business_events")).isEqualTo(BUSINESS);
        assertThat(count("system_metrics")).isEqualTo(SYSTEM);
        assertThat(engine.queryLong("SELECT uniqExact(event_id) FROM analytics.request_metrics WHERE " + inDataSet()))
                .isEqualTo(REQUESTS);

        assertSameRows(
                events.requests(),
                "SELECT * REPLACE (toUnixTimestamp64Milli(timestamp) AS timestamp) FROM (SELECT * FROM analytics.request_metrics"
                        + " WHERE " + inDataSet() + ")",
                "event_id");
        assertSameRows(
                events.business(),
                "SELECT * REPLACE (toUnixTimestamp64Milli(timestamp) AS timestamp) FROM (SELECT * FROM analytics.business_events"
                        + " WHERE " + inDataSet() + ")",
                "event_id");
        assertSameRows(
                events.system(),
                "SELECT * REPLACE (toUnixTimestamp64Milli(timestamp) AS timestamp) FROM (SELECT * FROM analytics.system_metrics"
                        + " WHERE " + inDataSet() + ")",
                "timestamp");

        // The Kafka coordinates are kept: every row names its topic and a distinct partition/offset.
        assertThat(engine.query("SELECT DISTINCT _topic FROM analytics.request_metrics"))
                .isEqualTo("request-events\n");
        assertThat(engine.queryLong(
                        "SELECT uniqExact(_partition, _offset) FROM analytics.business_events WHERE " + inDataSet()))
                .isEqualTo(BUSINESS);

        engine.execute("OPTIMIZE TABLE analytics.request_metrics FINAL");
        reporter.publishEntry("request_metrics storage", engine.query("""
                        SELECT sum(rows), sum(data_compressed_bytes), sum(data_uncompressed_bytes),
                               round(sum(data_compressed_bytes) / sum(rows), 1)
                        FROM system.parts WHERE database = 'analytics' AND table = 'request_metrics' AND active
                        """, "JSONEachRow"));
    }

    @Test
    void requestRollupsAgreeWithTheRawRows(TestReporter reporter) {
        // Counts and server errors per minute, service and endpoint: exact.
        assertThat(inWindow("""
                        SELECT minute, service_name, endpoint, countMerge(requests), sumMerge(errors),
                               sumMerge(request_bytes), sumMerge(response_bytes)
                        FROM analytics.request_metrics_1m WHERE {rollup}
                        GROUP BY minute, service_name, endpoint ORDER BY minute, service_name, endpoint
                        """)).isEqualTo(inWindow("""
                        SELECT toStartOfMinute(timestamp) AS minute, service_name, endpoint, count(),
                               countIf(status_code >= 500), sum(request_size_bytes), sum(response_size_bytes)
                        FROM analytics.request_metrics FINAL WHERE {raw}
                        GROUP BY minute, service_name, endpoint ORDER BY minute, service_name, endpoint
                        """)).isNotEmpty();

        // Responses per minute, endpoint and status code: exact.
        assertThat(inWindow("""
                        SELECT minute, service_name, endpoint, status_code, countMerge(requests)
                        FROM analytics.request_metrics_status_1m WHERE {rollup}
                        GROUP BY ALL ORDER BY ALL
                        """)).isEqualTo(inWindow("""
                        SELECT toStartOfMinute(timestamp) AS minute, service_name, endpoint, status_code, count()
                        FROM analytics.request_metrics FINAL WHERE {raw}
                        GROUP BY ALL ORDER BY ALL
                        """)).isNotEmpty();

        // p95 per service and endpoint: within the DDSketch's documented relative error (1 %) of the exact value
        // at the rank the sketch answers for, floor(0.95 * (n - 1)).
        List<String[]> p95 = tsv(inWindow("""
                SELECT r.service_name, r.endpoint, r.p95, e.p95, e.n
                FROM (
                    SELECT service_name, endpoint,
                           quantilesDDMerge(0.01, 0.5, 0.95, 0.99)(response_time_quantiles)[2] AS p95
                    FROM analytics.request_metrics_1m WHERE {rollup} GROUP BY service_name, endpoint
                ) AS r
                FULL JOIN (
                    SELECT service_name, endpoint, count() AS n,
                           arraySort(groupArray(response_time_ms))[toUInt64(floor(0.95 * (n - 1))) + 1] AS p95
                    FROM analytics.request_metrics FINAL WHERE {raw} GROUP BY service_name, endpoint
                ) AS e USING (service_name, endpoint)
                ORDER BY service_name, endpoint
                """));
        assertThat(p95).hasSizeGreaterThan(5);
        for (String[] row : p95) {
            double exact = Double.parseDouble(row[3]);
            reporter.publishEntry(
                    "p95 " + row[0] + " " + row[1],
                    "rollup %s exact %s over %s requests".formatted(row[2], row[3], row[4]));
            assertThat(Double.parseDouble(row[2]))
                    .as("p95 of %s %s over %s requests", row[0], row[1], row[4])
                    .isBetween(exact * 0.99, exact * 1.01);
        }

        // Unique users and sessions per region: uniq is exact at this size.
        assertThat(inWindow("""
                        SELECT region, countMerge(requests), uniqMerge(users), uniqMerge(sessions)
                        FROM analytics.request_metrics_region_1m WHERE {rollup} GROUP BY region ORDER BY region
                        """)).isEqualTo(inWindow("""
                        SELECT ifNull(region, '') AS r, count(), uniqExact(user_id), uniqExact(session_id)
                        FROM analytics.request_metrics WHERE {raw} GROUP BY r ORDER BY r
                        """));
    }

    @Test
    void businessAndSystemRollupsAgreeWithTheRawRows() {
        // Revenue per minute to the cent, against the raw table and against the published amounts.
        Map<Long, BigDecimal> expectedRevenue = new TreeMap<>();
        for (BusinessEvent event : events.business()) {
            if (event.getEventType() == BusinessEventType.ORDER_PLACED) {
                expectedRevenue.merge(
                        event.getTimestamp().getEpochSecond() / 60 * 60, event.getAmount(), BigDecimal::add);
            }
        }
        String fromRollup = inWindow("""
                SELECT toUnixTimestamp(minute) AS m, sumMerge(revenue) AS revenue
                FROM analytics.business_events_product_1m WHERE {rollup} GROUP BY m HAVING revenue > 0 ORDER BY m
                """);
        assertThat(fromRollup).isEqualTo(inWindow("""
                        SELECT toUnixTimestamp(toStartOfMinute(timestamp)) AS m, sum(amount)
                        FROM analytics.business_events FINAL WHERE {raw} AND event_type = 'ORDER_PLACED' GROUP BY m ORDER BY m
                        """));
        Map<Long, BigDecimal> actualRevenue = new TreeMap<>();
        for (String[] row : tsv(fromRollup)) {
            actualRevenue.put(Long.parseLong(row[0]), new BigDecimal(row[1]));
        }
        assertThat(actualRevenue).hasSameSizeAs(expectedRevenue);
        expectedRevenue.forEach((minute, revenue) -> assertThat(actualRevenue.get(minute))
                .as("revenue at %s", minute)
                .isEqualByComparingTo(revenue));

        // Funnel counters per product.
        assertThat(inWindow("""
                        SELECT product_id, sumMerge(views), sumMerge(cart_adds), sumMerge(orders)
                        FROM analytics.business_events_product_1m WHERE {rollup} GROUP BY product_id ORDER BY product_id
                        """)).isEqualTo(inWindow("""
                        SELECT ifNull(product_id, '') AS p, countIf(event_type = 'PRODUCT_VIEWED'),
                               countIf(event_type = 'CART_ITEM_ADDED'), countIf(event_type = 'ORDER_PLACED')
                        FROM analytics.business_events WHERE {raw} GROUP BY p ORDER BY p
                        """));

        // CPU and memory per minute and instance.
        assertThat(inWindow("""
                        SELECT minute, service_name, instance_id, round(avgMerge(process_cpu_avg), 9),
                               maxMerge(process_cpu_max), maxMerge(heap_used_max), maxMerge(live_threads_max)
                        FROM analytics.system_metrics_1m WHERE {rollup} GROUP BY ALL ORDER BY ALL
                        """)).isEqualTo(inWindow("""
                        SELECT toStartOfMinute(timestamp) AS minute, service_name, instance_id,
                               round(avg(process_cpu_usage), 9), max(process_cpu_usage), max(heap_used_bytes),
                               max(live_threads)
                        FROM analytics.system_metrics WHERE {raw} GROUP BY ALL ORDER BY ALL
                        """)).isNotEmpty();
    }

    @Test
    void theOriginalExampleQueriesReturnTheExpectedFigures() {
        String window = " WHERE timestamp >= toDateTime64(" + start.getEpochSecond() + ", 3)"
                + " AND timestamp < toDateTime64(" + end.getEpochSecond() + ", 3)";

        // 1. Requests per minute.
        Map<Long, Long> perMinute = events.requests().stream()
                .collect(Collectors.groupingBy(
                        e -> e.getTimestamp().getEpochSecond() / 60 * 60, TreeMap::new, Collectors.counting()));
        String expectedPerMinute = perMinute.entrySet().stream()
                .map(e -> e.getKey() + "\t" + e.getValue() + "\n")
                .collect(Collectors.joining());
        assertThat(engine.query("SELECT toUnixTimestamp(toStartOfMinute(timestamp)) AS minute, count() AS requests"
                        + " FROM analytics.request_metrics" + window + " GROUP BY minute ORDER BY minute"))
                .isEqualTo(expectedPerMinute);

        // 2. Top endpoints by latency. The raw table stores latency as Float32 (011): the expected average is of the
        // same Float32 values, so it stays exact.
        Map<String, Double> averageByEndpoint = events.requests().stream()
                .collect(Collectors.groupingBy(RequestEvent::getEndpoint, Collectors.averagingDouble(event ->
                        (float) event.getResponseTimeMs())));
        List<Map.Entry<String, Double>> expectedTop = averageByEndpoint.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(5)
                .toList();
        List<String[]> top = tsv(engine.query(
                "SELECT endpoint, avg(response_time_ms) AS avg_ms, quantile(0.95)(response_time_ms) AS p95_ms,"
                        + " count() AS requests FROM analytics.request_metrics" + window
                        + " GROUP BY endpoint ORDER BY avg_ms DESC LIMIT 5"));
        assertThat(top).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(top.get(i)[0]).isEqualTo(expectedTop.get(i).getKey());
            assertThat(Double.parseDouble(top.get(i)[1]))
                    .isCloseTo(expectedTop.get(i).getValue(), within(1e-9));
        }

        // 3. Revenue per hour (transaction amounts recorded on the requests), to the cent.
        Map<Long, BigDecimal> revenueByHour = new TreeMap<>();
        for (RequestEvent event : events.requests()) {
            if (event.getTransactionAmount() != null) {
                revenueByHour.merge(
                        event.getTimestamp().getEpochSecond() / 3600 * 3600,
                        BigDecimal.valueOf(event.getTransactionAmount()),
                        BigDecimal::add);
            }
        }
        assertThat(revenueByHour).hasSize(2);
        String expectedRevenue = revenueByHour.entrySet().stream()
                .map(e -> e.getKey() + "\t" + e.getValue().stripTrailingZeros().toPlainString() + "\n")
                .collect(Collectors.joining());
        assertThat(engine.query("SELECT toUnixTimestamp(toStartOfHour(timestamp, 'UTC')) AS hour,"
                        + " round(sum(transaction_amount), 2) AS revenue FROM analytics.request_metrics" + window
                        + " AND transaction_amount IS NOT NULL GROUP BY hour ORDER BY hour"))
                .isEqualTo(expectedRevenue);
    }

    @Test
    void poisonMessagesLandInIngestErrorsAndTheStreamsKeepFlowing(TestReporter reporter) throws Exception {
        Random random = new Random(7);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<RequestEvent> requests = new ArrayList<>();
        List<BusinessEvent> business = new ArrayList<>();
        List<SystemMetricsEvent> system = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(TestEvents.request(random, now.plusMillis(i)));
            business.add(TestEvents.business(random, now.plusMillis(i)));
            system.add(TestEvents.system(random, i, now.plusMillis(i)));
        }
        byte[] garbage = "this is not avro".getBytes();
        // Magic byte 0, then a schema id the registry never issued, then a plausible body.
        byte[] unknownSchemaId = {0, 0x7f, 0x12, 0x34, 0x56, 2, 'x'};
        List<String> topics = IngestionStack.TOPICS.all();

        stack.publishAll(first(requests, business, system));
        try (KafkaProducer<byte[], byte[]> producer = stack.rawProducer()) {
            for (String topic : topics) {
                producer.send(new ProducerRecord<>(topic, garbage)).get();
                producer.send(new ProducerRecord<>(topic, unknownSchemaId)).get();
            }
        }
        stack.publishAll(second(requests, business, system));

        await("poison routed aside, valid events around it delivered")
                .atMost(VISIBLE_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> engine.queryLong("SELECT count() FROM analytics.ingest_errors") >= 6
                        && countSince("request_metrics", now) >= 10
                        && countSince("business_events", now) >= 10
                        && countSince("system_metrics", now) >= 10);

        assertThat(engine.query(
                        "SELECT topic, countIf(hex(raw_message) = hex('this is not avro')), countIf(raw_message = unhex('007F12345602') || 'x'),"
                                + " countIf(error != '') FROM analytics.ingest_errors GROUP BY topic ORDER BY topic"))
                .isEqualTo(topics.stream()
                        .sorted()
                        .map(topic -> topic + "\t1\t1\t2\n")
                        .collect(Collectors.joining()));
        reporter.publishEntry(
                "ingest_errors",
                engine.query("SELECT topic, partition, offset, error FROM analytics.ingest_errors", "JSONEachRow"));

        assertSameRows(
                requests,
                "SELECT * REPLACE (toUnixTimestamp64Milli(timestamp) AS timestamp)"
                        + " FROM (SELECT * FROM analytics.request_metrics WHERE " + since(now) + ")",
                "event_id");
        assertThat(countSince("business_events", now)).isEqualTo(10);
        assertThat(countSince("system_metrics", now)).isEqualTo(10);

        // Still flowing after the poison: one more event per stream arrives.
        Instant later = now.plusSeconds(1);
        stack.publishAll(List.of(
                TestEvents.request(random, later),
                TestEvents.business(random, later),
                TestEvents.system(random, 0, later)));
        await("events after the poison delivered")
                .atMost(VISIBLE_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> countSince("request_metrics", later) == 1
                        && countSince("business_events", later) == 1
                        && countSince("system_metrics", later) == 1);
        assertThat(engine.queryLong("SELECT count() FROM analytics.ingest_errors"))
                .isEqualTo(6);
    }

    /**
     * A producer that is not ours evolves the request schema the way the registry allows (a new optional field, BACKWARD
     * compatible), registers it as a new version and writes with it in Confluent's wire format: ClickHouse reads the
     * writer's schema by id, stores the event and ignores the field it has no column for.
     */
    @Test
    void aThirdPartyProducersNewerSchemaVersionIsIngested(TestReporter reporter) throws Exception {
        ObjectNode evolvedJson =
                (ObjectNode) JSON.readTree(RequestEvent.getClassSchema().toString());
        ((ArrayNode) evolvedJson.get("fields"))
                .addObject()
                .put("name", "client_build")
                .put("doc", "added by a third-party producer")
                .putNull("default")
                .putArray("type")
                .add("null")
                .add("string");
        Schema evolved = new Schema.Parser().parse(evolvedJson.toString());
        String subject = EventTopics.subjectOf(IngestionStack.TOPICS.request());
        URI registry = stack.kafka.registryUri();
        JsonNode check =
                registryCall(registry.resolve("/compatibility/subjects/" + subject + "/versions/latest"), evolved);
        assertThat(check.path("is_compatible").asBoolean()).as(check.toString()).isTrue();
        int id = registryCall(registry.resolve("/subjects/" + subject + "/versions"), evolved)
                .path("id")
                .asInt();
        int version = JSON.readTree(registry.resolve("/subjects/" + subject + "/versions/latest")
                        .toURL())
                .path("version")
                .asInt();
        assertThat(version).as("a newer version than the services' schema").isGreaterThan(1);

        RequestEvent event = TestEvents.request(new Random(11), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        GenericRecord record = asEvolved(event, evolved);
        record.put("client_build", "partner-sdk-2.4.1");
        long errorsBefore = engine.queryLong("SELECT count() FROM analytics.ingest_errors");
        try (KafkaProducer<byte[], byte[]> producer = stack.rawProducer()) {
            producer.send(new ProducerRecord<>(IngestionStack.TOPICS.request(), confluentWireFormat(id, record)))
                    .get();
        }

        String where = " FROM analytics.request_metrics WHERE event_id = {event_id:UUID}";
        Map<String, String> eventId = Map.of("event_id", event.getEventId().toString());
        await("the event written with schema version " + version)
                .atMost(VISIBLE_WITHIN)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Long.parseLong(
                                engine.query("SELECT count()" + where, eventId).strip())
                        == 1);
        assertThat(engine.query("SELECT service_name, endpoint, status_code" + where, eventId))
                .isEqualTo(event.getServiceName() + "\t" + event.getEndpoint() + "\t" + event.getStatusCode() + "\n");
        assertThat(engine.queryLong("SELECT count() FROM analytics.ingest_errors"))
                .as("nothing routed aside")
                .isEqualTo(errorsBefore);
        reporter.publishEntry("third-party schema", "id " + id + ", version " + version + " of " + subject);
    }

    /** {@code event} read with {@code evolved} as the reader's schema: the new field at its default. */
    private static GenericRecord asEvolved(RequestEvent event, Schema evolved) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<RequestEvent>(RequestEvent.getClassSchema()).write(event, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(RequestEvent.getClassSchema(), evolved)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    /** Confluent's framing: magic byte 0, the schema id (4 bytes, big-endian), the Avro binary body. */
    private static byte[] confluentWireFormat(int schemaId, GenericRecord record) throws IOException {
        var bytes = new ByteArrayOutputStream();
        bytes.write(0);
        bytes.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static JsonNode registryCall(URI uri, Schema schema) throws Exception {
        var response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                        .put("schema", schema.toString())
                                        .toString()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(uri + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<SpecificRecord> first(List<? extends SpecificRecord>... streams) {
        List<SpecificRecord> out = new ArrayList<>();
        for (List<? extends SpecificRecord> stream : streams) {
            out.addAll(stream.subList(0, stream.size() / 2));
        }
        return out;
    }

    private static List<SpecificRecord> second(List<? extends SpecificRecord>... streams) {
        List<SpecificRecord> out = new ArrayList<>();
        for (List<? extends SpecificRecord> stream : streams) {
            out.addAll(stream.subList(stream.size() / 2, stream.size()));
        }
        return out;
    }

    /** Rows of the data set published before the tests: its time window, which the poison test stays out of. */
    private long count(String table) {
        return engine.queryLong("SELECT count() FROM analytics." + table + " WHERE " + inDataSet());
    }

    /** Runs {@code sql} with {@code {raw}} and {@code {rollup}} standing for the data set's window in each kind. */
    private String inWindow(String sql) {
        String rollup = "minute >= toDateTime(" + start.getEpochSecond() + ") AND minute < toDateTime("
                + end.getEpochSecond() + ")";
        return engine.query(sql.replace("{raw}", inDataSet()).replace("{rollup}", rollup));
    }

    private String inDataSet() {
        return "timestamp >= toDateTime64(" + start.getEpochSecond() + ", 3) AND timestamp < toDateTime64("
                + end.getEpochSecond() + ", 3)";
    }

    private long countSince(String table, Instant from) {
        return engine.queryLong("SELECT count() FROM analytics." + table + " WHERE " + since(from));
    }

    private static String since(Instant from) {
        return "timestamp >= fromUnixTimestamp64Milli(toInt64(" + from.toEpochMilli() + "))";
    }

    private void assertSameRows(List<? extends SpecificRecord> published, String sql, String key) {
        List<String> columns = Rows.fieldNames(published.getFirst().getSchema());
        Map<String, Map<String, String>> stored = Rows.byColumn(Rows.query(engine, sql, columns), key);
        List<Map<String, String>> expected = published.stream()
                .map(Rows::of)
                .sorted(Comparator.comparing(row -> row.get(key)))
                .toList();
        assertThat(stored).hasSameSizeAs(expected);
        for (Map<String, String> row : expected) {
            assertThat(stored.get(row.get(key))).as("row %s", row.get(key)).isEqualTo(row);
        }
    }

    private static List<String[]> tsv(String text) {
        return text.lines().map(line -> line.split("\t", -1)).toList();
    }

    /**
     * Each consumer of a Kafka table with kafka_thread_per_consumer holds a thread of the engine's message broker pool
     * while it streams, and chDB sizes that pool to the machine's cores: on two cores the request table's consumers
     * held both threads and the other tables never consumed (ingestion stalled in two runs of three). The pool comes
     * from clickhouse/config/kafka.xml and must leave a thread for every consumer of every table, each assigned.
     */
    @Test
    void everyKafkaConsumerHasAThreadAndPartitions() {
        long consumers = engine.queryLong("SELECT count() FROM system.kafka_consumers WHERE database = 'analytics'");
        long pool = engine.queryLong(
                "SELECT value FROM system.metrics WHERE metric = 'BackgroundMessageBrokerSchedulePoolSize'");

        assertThat(consumers)
                .as("request consumers (one per partition), business, system")
                .isEqualTo(IngestionStack.PARTITIONS + 2L);
        assertThat(pool).isGreaterThan(consumers);
        assertThat(clickHouse.kafkaConsumersAssigned()).isTrue();
    }
}
