package io.chanalytics.simulator.config;

import java.net.URI;
import java.util.List;

/** One service under {@code endpoints}: where it listens and which of its endpoints the load exercises. */
public record ServiceSettings(String name, URI baseUrl, List<EndpointSettings> endpoints) {

    /** The base URL without a trailing slash, ready to prefix a path. */
    public String urlPrefix() {
        String url = baseUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
