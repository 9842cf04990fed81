package io.chanalytics.metrics.web;

import io.chanalytics.events.RequestEvent;
import io.chanalytics.metrics.ServiceIdentity;
import io.chanalytics.metrics.publish.EventIds;
import io.chanalytics.metrics.publish.EventPublisher;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.NonNull;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Records one {@link RequestEvent} per HTTP request once handling has finished: completed, failed or cancelled by the
 * client. The request path pays for a clock read, two counters and building the record; publishing only offers it to
 * the {@link EventPublisher}'s queue.
 */
public final class RequestMetricsFilter implements WebFilter, Ordered {

    static final String UNMATCHED_ROUTE = "UNMATCHED";
    private static final String CATCH_ALL = "/**";
    /** nginx's code for "client closed request": the client went away before a status was written. */
    static final int CLIENT_CLOSED_REQUEST = 499;

    private final EventPublisher publisher;
    private final ServiceIdentity identity;
    private final List<String> excludedPathPrefixes;
    private final AtomicInteger inFlight = new AtomicInteger();

    public RequestMetricsFilter(EventPublisher publisher, ServiceIdentity identity, List<String> excludedPathPrefixes) {
        this.publisher = publisher;
        this.identity = identity;
        this.excludedPathPrefixes = List.copyOf(excludedPathPrefixes);
    }

    /** Requests being handled right now, for the system metrics report. */
    public int inFlightRequests() {
        return inFlight.get();
    }

    @Override
    public int getOrder() {
        // Outermost, so the latency covers every other filter (security, CORS, ...).
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public @NonNull Mono<Void> filter(@NonNull ServerWebExchange exchange, @NonNull WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (isExcluded(path)) {
            return chain.filter(exchange);
        }
        long startNanos = System.nanoTime();
        Instant arrived = Instant.now();
        RequestTelemetry telemetry = RequestTelemetry.attach(exchange);
        var counting = new ByteCountingExchange(exchange);
        var failure = new AtomicReference<Throwable>();
        inFlight.incrementAndGet();
        return chain.filter(counting.exchange()).doOnError(failure::set).doFinally(signal -> {
            inFlight.decrementAndGet();
            double millis = (System.nanoTime() - startNanos) / 1_000_000.0;
            int status = status(counting.exchange(), signal, failure.get());
            // Read at the end: sign-in (api-support) may have put the token's user in place of the header's.
            publisher.publish(event(counting, CallerHeaders.of(exchange), telemetry, arrived, millis, status));
        });
    }

    /** A plain loop: this runs for every request, a stream would allocate each time. */
    private boolean isExcluded(String path) {
        for (String prefix : excludedPathPrefixes) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private RequestEvent event(
            ByteCountingExchange counting,
            CallerHeaders caller,
            RequestTelemetry telemetry,
            Instant arrived,
            double millis,
            int status) {
        ServerWebExchange exchange = counting.exchange();
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        return RequestEvent.newBuilder()
                .setEventId(EventIds.next())
                .setTimestamp(arrived)
                .setServiceName(identity.serviceName())
                .setInstanceId(identity.instanceId())
                .setEndpoint(routeTemplate(exchange, status))
                .setMethod(request.getMethod().name())
                .setStatusCode(status)
                .setResponseTimeMs(millis)
                .setRequestSizeBytes(counting.requestBytes())
                .setResponseSizeBytes(counting.responseBytes())
                .setUserId(caller.userId())
                .setSessionId(caller.sessionId())
                .setClientIp(CallerHeaders.clientAddress(request))
                .setRegion(caller.region())
                .setUserAgent(CallerHeaders.blankToNull(headers.getFirst(HttpHeaders.USER_AGENT)))
                .setProductId(telemetry.productId())
                .setProductCategory(telemetry.productCategory())
                .setTransactionAmount(telemetry.transactionAmount())
                .setCartItemsCount(telemetry.cartItemsCount())
                .build();
    }

    /**
     * The matched route template, never the raw path, so that the endpoint column's cardinality stays bounded. A 404
     * from the static-resource catch-all ({@code /**}) means no route matched.
     */
    static String routeTemplate(ServerWebExchange exchange, int status) {
        Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            pattern = exchange.getAttribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE);
        }
        return switch (pattern) {
            case PathPattern p when !(status == 404 && p.getPatternString().equals(CATCH_ALL)) -> p.getPatternString();
            case String s when !(status == 404 && s.equals(CATCH_ALL)) -> s;
            case null, default -> UNMATCHED_ROUTE;
        };
    }

    static int status(ServerWebExchange exchange, SignalType signal, Throwable failure) {
        HttpStatusCode written = exchange.getResponse().getStatusCode();
        if (failure != null) {
            // The error handlers that write the response run outside the filter chain; predict what they will send.
            return failure instanceof ErrorResponse error
                    ? error.getStatusCode().value()
                    : written != null && written.isError() ? written.value() : 500;
        }
        if (signal == SignalType.CANCEL && !exchange.getResponse().isCommitted()) {
            return CLIENT_CLOSED_REQUEST;
        }
        return written != null ? written.value() : 200;
    }
}
