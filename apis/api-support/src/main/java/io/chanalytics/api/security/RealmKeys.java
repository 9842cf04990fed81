package io.chanalytics.api.security;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The realm's public keys, as the token decoder's key source: fetched from the JWK set URI when the first token
 * arrives and held. A key id not among them means Keycloak rotated its keys, or a forger made one up: the set is
 * fetched again, but at most once per {@code refetchInterval}, so a stream of tokens with invented key ids costs
 * Keycloak one request per interval, not one per token (Spring's own JWK set source fetches on every unknown key id).
 *
 * <p>Within the interval a key id the last fetch did not list is simply not there (the token is refused: 401). If the
 * last fetch failed, the realm's keys are unknown (a 503 through {@link TokenDecoder}, as any fetch that fails). Callers
 * that arrive while a fetch is under way wait for that one.
 */
final class RealmKeys implements Function<SignedJWT, Flux<JWK>> {

    private final WebClient web;
    private final URI jwkSetUri;
    private final long refetchIntervalNanos;

    private volatile JWKSet held;
    private volatile boolean lastFetchFailed;
    private long lastFetchStarted;
    private Mono<JWKSet> fetching;

    RealmKeys(WebClient web, URI jwkSetUri, Duration refetchInterval) {
        this.web = web;
        this.jwkSetUri = jwkSetUri;
        this.refetchIntervalNanos = refetchInterval.toNanos();
        // As if the last fetch were an interval ago: the first token fetches at once.
        this.lastFetchStarted = System.nanoTime() - refetchIntervalNanos;
    }

    @Override
    public Flux<JWK> apply(SignedJWT token) {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(token.getHeader()));
        JWKSet keys = held;
        if (keys != null) {
            List<JWK> matching = selector.select(keys);
            if (!matching.isEmpty()) {
                return Flux.fromIterable(matching);
            }
        }
        return fresh().flatMapIterable(selector::select);
    }

    /** The set again, unless it was fetched less than an interval ago: then what that fetch gave (or its failure). */
    private synchronized Mono<JWKSet> fresh() {
        if (fetching != null) {
            return fetching;
        }
        long now = System.nanoTime();
        if (now - lastFetchStarted < refetchIntervalNanos) {
            if (lastFetchFailed) {
                return Mono.error(new IllegalStateException("the realm's keys could not be fetched from " + jwkSetUri
                        + " less than " + Duration.ofNanos(refetchIntervalNanos).toSeconds() + " s ago"));
            }
            return Mono.justOrEmpty(held);
        }
        lastFetchStarted = now;
        Mono<JWKSet> fetch = web.get()
                .uri(jwkSetUri)
                .retrieve()
                .bodyToMono(String.class)
                .map(RealmKeys::parse)
                .doOnNext(keys -> {
                    held = keys;
                    lastFetchFailed = false;
                })
                .doOnError(failure -> lastFetchFailed = true)
                .doFinally(signal -> fetchEnded())
                .cache();
        fetching = fetch;
        return fetch;
    }

    private synchronized void fetchEnded() {
        fetching = null;
    }

    private static JWKSet parse(String body) {
        try {
            return JWKSet.parse(body);
        } catch (ParseException e) {
            throw new IllegalStateException("The realm's JWK set is not a JWK set: " + e.getMessage(), e);
        }
    }
}
