package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Service;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Checks that every service answers at its base URL before the load starts, so a wrong URL or a service that is down
 * stops the run with the key to fix instead of a report full of connection errors. Any HTTP answer counts: only
 * reaching the server matters here.
 */
public final class BaseUrlProbe {

    private final HttpClient client;
    private final Duration timeout;

    public BaseUrlProbe(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    public void check(SimulatorConfig config) {
        config.endpoints().forEach(this::probe);
    }

    private void probe(Service name, ServiceSettings service) {
        String key = "endpoints." + name.key() + ".base_url";
        // A config from the original simulator names its services' compose hosts on port 8000: say how to redirect.
        String override = "; point it elsewhere with " + ConfigOverrides.environmentVariable(name.key() + ".base_url")
                + " or -Dsimulator." + name.key() + ".base_url";
        URI target = URI.create(service.urlPrefix() + "/actuator/health");
        try {
            client.send(
                    HttpRequest.newBuilder(target).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException unreachable) {
            throw new ConfigException(
                    key, service.baseUrl() + " is unreachable (" + describe(unreachable) + ")" + override);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ConfigException(key, "interrupted while probing " + service.baseUrl());
        }
    }

    /** The HTTP client often throws a ConnectException without a message; its cause says what happened. */
    private static String describe(IOException failure) {
        Throwable cause = failure;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return failure.getClass().getSimpleName() + ": " + detail;
    }
}
