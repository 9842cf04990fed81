package io.chanalytics.simulator.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** One service under {@code endpoints}: where it listens and which of its endpoints the load exercises. */
public record ServiceSettings(
        @NotNull @Pattern(regexp = ABSOLUTE_HTTP_URL, message = "is not an absolute http(s) URL")
        String baseUrl,

        @NotEmpty(message = "must list at least one endpoint")
        List<@NotNull @Valid EndpointSettings> endpoints) {

    /**
     * A scheme, a host (a name, an IPv4 or a bracketed IPv6 address), an optional port and an optional path of the
     * characters a URI allows, so the probe and Gatling can use it as it is.
     */
    static final String ABSOLUTE_HTTP_URL =
            "https?://(\\[[0-9A-Fa-f:.]+]|[\\w.~%!$&'()*+,;=-]+)(:\\d{1,5})?([/?#][\\w.~%!$&'()*+,;=:@/?#-]*)?";

    /** The base URL without a trailing slash, ready to prefix a path. */
    public String urlPrefix() {
        return baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}
