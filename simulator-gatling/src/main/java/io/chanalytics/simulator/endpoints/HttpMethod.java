package io.chanalytics.simulator.endpoints;

/**
 * The methods a config entry may name. Binding {@code methods} to this enum refuses a misspelled method; whether the
 * path supports it is checked against {@link Operation}.
 */
public enum HttpMethod {
    GET,
    POST,
    PUT,
    DELETE,
    PATCH,
    HEAD,
    OPTIONS
}
