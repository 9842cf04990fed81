package io.chanalytics.registry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh in-memory registry on a free port for each test, and the HTTP client the tests speak to it with. */
abstract class RegistryServerTest {

    protected SchemaRegistryServer server;
    protected RegistryHttp registry;

    @BeforeEach
    void startRegistry() {
        server = SchemaRegistryServer.start(0);
        registry = new RegistryHttp(server);
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }
}
