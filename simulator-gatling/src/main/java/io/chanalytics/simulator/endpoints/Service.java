package io.chanalytics.simulator.endpoints;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The services the simulator loads, named by their key under {@code endpoints} in {@code config.yaml}. This enum is
 * the one place those keys are spelled: the YAML binding, the overrides and the messages all read them from here.
 */
public enum Service {
    CRUD_API("crud_api"),
    ECOMMERCE_API("ecommerce_api");

    private final String key;

    Service(String key) {
        this.key = key;
    }

    /** Also how Jackson reads the service, so an {@code endpoints} key binds to it or is refused. */
    @JsonValue
    public String key() {
        return key;
    }
}
