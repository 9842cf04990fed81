package io.chanalytics.metrics.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.events.SystemMetricsEvent;
import io.chanalytics.metrics.testing.SampleEvents;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The planned encoder must write exactly Avro's bytes (ClickHouse, Kafka UI and every Confluent reader decode them with
 * Avro's rules), so every case compares with Avro's own {@code SpecificDatumWriter} on the same record.
 */
class RecordEncoderTests {

    private static final String[] AWKWARD_STRINGS = {
        "", "a", "\u007f", "é", "caf\u00e9", "日本語", "emoji \uD83D\uDE00", "unpaired \uD800 surrogate", "x".repeat(700)
    };

    private final Random random = new Random(20261203);

    @Test
    void writesAvrosBytesForTheSampleEventsOfEveryType() {
        Instant now = Instant.parse("2026-12-03T04:00:00.123Z");
        assertSameBytes(i -> SampleEvents.request(i, now.plusMillis(i)));
        assertSameBytes(i -> SampleEvents.business(i, now.plusMillis(i)));
        assertSameBytes(i -> SampleEvents.system(i, now.plusMillis(i)));
    }

    @Test
    void writesAvrosBytesForEdgeValues() {
        assertSameBytes(i -> RequestEvent.newBuilder(SampleEvents.request(i, Instant.EPOCH))
                .setEventId(new UUID(random.nextLong(), random.nextLong()))
                .setTimestamp(Instant.ofEpochMilli(pick(Long.MIN_VALUE / 1000, -1L, 0L, Long.MAX_VALUE / 1000)))
                .setServiceName(pick(AWKWARD_STRINGS))
                .setEndpoint(pick(AWKWARD_STRINGS))
                .setStatusCode(pick(Integer.MIN_VALUE, -1, 0, 63, 64, Integer.MAX_VALUE))
                .setResponseTimeMs(pick(Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e300))
                .setRequestSizeBytes(pick(Long.MIN_VALUE, -64L, 8191L, 8192L, Long.MAX_VALUE))
                .setUserId(pick(null, "", "użytkownik", "user-1"))
                .setUserAgent(pick(null, "Mozilla/5.0 (X11; Linux x86_64) \u00a9"))
                .setTransactionAmount(pick(null, Double.NaN, -1.5))
                .setCartItemsCount(pick(null, Integer.MIN_VALUE, 0))
                .build());
        assertSameBytes(i -> BusinessEvent.newBuilder(SampleEvents.business(i, Instant.EPOCH))
                .setEventType(BusinessEventType.values()[i % BusinessEventType.values().length])
                // Fewer decimal places than the schema's scale of 2 are padded by Avro's conversion, as here.
                .setAmount(
                        pick(null, new BigDecimal("5"), new BigDecimal("-0.01"), new BigDecimal("9999999999999999.99")))
                .setCurrency(pick(null, "EUR", "€"))
                .setFailureReason(pick(AWKWARD_STRINGS))
                .build());
        assertSameBytes(i -> SystemMetricsEvent.newBuilder(SampleEvents.system(i, Instant.EPOCH))
                .setProcessCpuUsage(random.nextDouble())
                .setHeapUsedBytes(random.nextLong())
                .setLiveThreads(random.nextInt())
                .build());
    }

    @Test
    void aNullInAFieldThatIsNotNullableIsAnErrorNamingTheField() {
        RequestEvent event = SampleEvents.request(1, Instant.EPOCH);
        event.setServiceName(null);

        assertThatThrownBy(() -> new ConfluentAvroSerializer().serialize(1, event))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("service_name")
                .hasMessageContaining("io.chanalytics.events.RequestEvent");
        assertThatThrownBy(() -> ConfluentAvroSerializer.withAvroWriter().serialize(1, event))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void plansOnlyFlatRecordsAndLeavesTheRestToAvrosWriter() {
        assertThat(RecordEncoder.plan(RequestEvent.getClassSchema())).isPresent();
        assertThat(RecordEncoder.plan(BusinessEvent.getClassSchema())).isPresent();
        assertThat(RecordEncoder.plan(SystemMetricsEvent.getClassSchema())).isPresent();
        assertThat(RecordEncoder.plan(record("{\"type\": \"array\", \"items\": \"string\"}")))
                .isEmpty();
        assertThat(RecordEncoder.plan(record("[\"null\", \"string\", \"long\"]")))
                .isEmpty();
        assertThat(RecordEncoder.plan(record("[\"string\", \"null\"]"))).isPresent();
    }

    private void assertSameBytes(IntFunction<SpecificRecord> events) {
        var planned = new ConfluentAvroSerializer();
        var avro = ConfluentAvroSerializer.withAvroWriter();
        List<SpecificRecord> records =
                IntStream.range(0, 2_000).mapToObj(events).toList();
        for (SpecificRecord record : records) {
            assertThat(hex(planned.serialize(7, record))).as("%s", record).isEqualTo(hex(avro.serialize(7, record)));
        }
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** A record of one field {@code f} of the given type (JSON). */
    private static Schema record(String type) {
        return new Schema.Parser()
                .parse("{\"type\": \"record\", \"name\": \"R\", \"fields\": [{\"name\": \"f\", \"type\": " + type
                        + "}]}");
    }
}
