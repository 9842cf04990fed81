package io.chanalytics.api.security;

import io.chanalytics.metrics.web.CallerHeaders;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With sign-in on, a request starts with no user, whatever its {@code X-User-Id} says: only a token puts one in place
 * ({@link SignedInCaller}). First of the filters that read the caller, so that a request refused before sign-in (too
 * large, rate limited, unauthenticated) is recorded without a user it does not prove.
 */
final class UnprovenCaller implements WebFilter, Ordered {

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        CallerHeaders.identify(exchange, null);
        return chain.filter(exchange);
    }
}
