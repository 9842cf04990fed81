package io.chanalytics.api.security;

import io.chanalytics.metrics.web.CallerHeaders;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Inside the security chain, right after the token is checked: the token's subject becomes the caller's user id, the
 * one the recorded request, the business events, the carts and orders and the rate limits all use.
 */
final class SignedInCaller implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(JwtAuthenticationToken.class::isInstance)
                .doOnNext(token -> CallerHeaders.identify(exchange, token.getName()))
                .then(chain.filter(exchange));
    }
}
