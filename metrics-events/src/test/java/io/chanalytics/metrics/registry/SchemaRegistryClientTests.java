package io.chanalytics.metrics.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.testing.RegistrySchemas;
import io.chanalytics.registry.SchemaRegistryServer;
import java.net.URI;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Our client against the in-process registry over real HTTP. */
class SchemaRegistryClientTests {

    private SchemaRegistryServer server;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.start(0);
        client = new SchemaRegistryClient(server.baseUri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersOnceAndTheIdServesTheSchema() {
        int id = client.register("request-events-value", RequestEvent.getClassSchema());

        assertThat(client.register("request-events-value", RequestEvent.getClassSchema()))
                .isEqualTo(id);
        assertThat(new RegistrySchemas(server.baseUri()).byId(id)).isEqualTo(RequestEvent.getClassSchema());
        assertThat(client.register("business-events-value", BusinessEvent.getClassSchema()))
                .isNotEqualTo(id);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWithTheRegistrysStatusAndCode() {
        Schema v1 =
                SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
        Schema incompatible = SchemaBuilder.record("Thing")
                .fields()
                .requiredString("name")
                .requiredInt("weight")
                .endRecord();
        client.register("things-value", v1);

        assertThatThrownBy(() -> client.register("things-value", incompatible))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("incompatible");
                });
    }

    @Test
    void anUnreachableRegistryIsAClearError() {
        server.close();
        var unreachable = new SchemaRegistryClient(URI.create("http://127.0.0.1:" + server.port()));
        assertThatThrownBy(() -> unreachable.register("x-value", RequestEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unreachable");
    }
}
