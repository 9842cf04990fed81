package io.chanalytics.metrics.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.events.RequestEvent;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerializerTests {

    private static final int SCHEMA_ID = 42;

    private final RequestEvent event = RequestEvent.newBuilder()
            .setEventId(UUID.fromString("00000000-0000-0000-0000-000000000001"))
            .setTimestamp(Instant.ofEpochMilli(1))
            .setServiceName("s")
            .setInstanceId("i")
            .setEndpoint("/p/{id}")
            .setMethod("GET")
            .setStatusCode(404)
            .setResponseTimeMs(1.5)
            .setRequestSizeBytes(0)
            .setResponseSizeBytes(100)
            .setUserId("u")
            .setSessionId(null)
            .setClientIp(null)
            .setRegion("eu")
            .setUserAgent(null)
            .setProductId(null)
            .setProductCategory(null)
            .setTransactionAmount(-2.0)
            .setCartItemsCount(3)
            .build();

    /**
     * Computed by hand from the Avro spec: ints and longs are zig-zag varints, strings a varint length then UTF-8,
     * doubles 8 bytes little-endian, a union its branch index (0 = null) then the value.
     */
    @Test
    void writesMagicByteSchemaIdAndAvroBinaryBody() {
        var expected = new ByteArrayOutputStream();
        write(expected, "00 0000002a"); // magic byte, schema id 42 big-endian
        write(expected, "48"); // event_id: length 36 -> zig-zag 72
        expected.writeBytes("00000000-0000-0000-0000-000000000001".getBytes());
        write(expected, "02"); // timestamp 1 ms -> 2
        write(expected, "02 73"); // service_name "s"
        write(expected, "02 69"); // instance_id "i"
        write(expected, "0e 2f702f7b69647d"); // endpoint "/p/{id}" (7 bytes)
        write(expected, "06 474554"); // method "GET"
        write(expected, "a8 06"); // status_code 404 -> zig-zag 808 = 0b110_0101000
        write(expected, "000000000000f83f"); // response_time_ms 1.5
        write(expected, "00"); // request_size_bytes 0
        write(expected, "c8 01"); // response_size_bytes 100 -> 200
        write(expected, "02 02 75"); // user_id: branch 1, "u"
        write(expected, "00"); // session_id null
        write(expected, "00"); // client_ip null
        write(expected, "02 04 6575"); // region: branch 1, "eu"
        write(expected, "00 00 00"); // user_agent, product_id, product_category null
        write(expected, "02 00000000000000c0"); // transaction_amount: branch 1, -2.0
        write(expected, "02 06"); // cart_items_count: branch 1, 3

        byte[] actual = new ConfluentAvroSerializer().serialize(SCHEMA_ID, event);

        assertThat(HexFormat.of().formatHex(actual)).isEqualTo(HexFormat.of().formatHex(expected.toByteArray()));
    }

    /** The publisher keeps one instance: each message must hold its record alone, whatever came before. */
    @Test
    void oneInstanceEncodesEachRecordAsAFreshOneWould() {
        var other = RequestEvent.newBuilder(event)
                .setEndpoint("/a/much/longer/endpoint/than/the/first/{id}")
                .setUserId(null)
                .build();
        var reused = new ConfluentAvroSerializer();

        byte[] first = reused.serialize(SCHEMA_ID, event);
        byte[] second = reused.serialize(SCHEMA_ID + 1, other);
        byte[] third = reused.serialize(SCHEMA_ID, event);

        assertThat(first).isEqualTo(new ConfluentAvroSerializer().serialize(SCHEMA_ID, event));
        assertThat(second).isEqualTo(new ConfluentAvroSerializer().serialize(SCHEMA_ID + 1, other));
        assertThat(third).isEqualTo(first);
    }

    @Test
    void deserializerReadsTheSameBytesBack() {
        byte[] bytes = new ConfluentAvroSerializer().serialize(SCHEMA_ID, event);

        var deserializer = new ConfluentAvroDeserializer(id -> {
            assertThat(id).isEqualTo(SCHEMA_ID);
            return RequestEvent.getClassSchema();
        });

        assertThat(ConfluentAvroDeserializer.schemaId(bytes)).isEqualTo(SCHEMA_ID);
        assertThat(deserializer.deserialize(bytes)).isEqualTo(event);
    }

    @Test
    void rejectsMessagesWithoutTheConfluentHeader() {
        assertThatThrownBy(() -> ConfluentAvroDeserializer.schemaId(new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> ConfluentAvroDeserializer.schemaId(new byte[] {0, 0}))
                .hasMessageContaining("shorter than the 5-byte header");
    }

    private static void write(ByteArrayOutputStream out, String hex) {
        out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
    }
}
