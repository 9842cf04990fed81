package io.chanalytics.stack.replay;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A request event as a producer writes it after registering its schema in a registry ClickHouse does not read: in
 * Confluent's wire format with the next schema id, which the stack's registry does not have yet, so ClickHouse
 * rejects it into {@code ingest_errors}. {@link #fix()} is the fix: the same fields registered under a record name
 * of their own, which the registry gives that id.
 */
public final class UnknownSchemaEvent {

    private static final String SUBJECT = "replay-test-value";

    private final SchemaRegistryClient registry;
    private final int schemaId;
    private final RequestEvent event;

    private UnknownSchemaEvent(SchemaRegistryClient registry, int schemaId, RequestEvent event) {
        this.registry = registry;
        this.schemaId = schemaId;
        this.event = event;
    }

    /** An event of {@code service} with the first schema id the registry at {@code registry} does not know. */
    public static UnknownSchemaEvent of(URI registry, String service) throws Exception {
        int id = 1;
        HttpClient http = HttpClient.newHttpClient();
        while (http.send(
                                HttpRequest.newBuilder(registry.resolve("/schemas/ids/" + id))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                == 200) {
            id++;
        }
        var event = RequestEvent.newBuilder()
                .setEventId(UUID.randomUUID())
                .setTimestamp(Instant.now())
                .setServiceName(service)
                .setInstanceId(service + "-1")
                .setEndpoint("/replayed")
                .setMethod("GET")
                .setStatusCode(200)
                .setResponseTimeMs(12.5)
                .setRequestSizeBytes(0)
                .setResponseSizeBytes(100)
                .build();
        return new UnknownSchemaEvent(new SchemaRegistryClient(registry), id, event);
    }

    public int schemaId() {
        return schemaId;
    }

    /** The message: magic byte 0, the schema id, the event in Avro's binary encoding. */
    public byte[] message() throws IOException {
        var out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(RequestEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Registers the event's fields as a schema of its own; returns the id the registry gave it. */
    public int fix() {
        String renamed = RequestEvent.getClassSchema()
                .toString()
                .replaceFirst("\"name\":\"RequestEvent\"", "\"name\":\"ReplayedRequestEvent\"");
        return registry.register(SUBJECT, new Schema.Parser().parse(renamed));
    }
}
