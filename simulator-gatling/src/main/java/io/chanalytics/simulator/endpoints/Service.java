package io.chanalytics.simulator.endpoints;

import java.util.Arrays;
import java.util.List;

/**
 * The services the simulator loads, named by their key under {@code endpoints} in {@code config.yaml}. This enum is
 * the one place those keys are spelled: the YAML's binding, the overrides and the messages all read them from here.
 * Each service also answers to the name the original Python simulator's config used ({@code crud_service}), so that
 * file runs as it is; the first name stays the canonical one (messages, overrides, the shipped config).
 */
public enum Service {
    CRUD_API("crud_api", "crud_service"),
    ECOMMERCE_API("ecommerce_api", "ecommerce_service");

    private final String key;
    private final String originalKey;

    Service(String key, String originalKey) {
        this.key = key;
        this.originalKey = originalKey;
    }

    /** How the service is written when the simulator writes it (messages, overrides). */
    public String key() {
        return key;
    }

    /** The canonical key first, then the original simulator's. */
    public List<String> keys() {
        return List.of(key, originalKey);
    }

    /** How the binding reads an {@code endpoints} key; it reports an unknown name with the known ones. */
    public static Service fromKey(String name) {
        return Arrays.stream(values())
                .filter(service -> service.keys().contains(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "'"));
    }
}
