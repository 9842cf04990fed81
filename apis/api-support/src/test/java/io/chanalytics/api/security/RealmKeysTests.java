package io.chanalytics.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The decoder's key source against a JWK set served over HTTP, as Keycloak serves its realm's: real RSA keys and
 * signatures. What is counted is the fetches the realm's server sees: invented key ids must not turn into one fetch
 * each, a rotated key must still be found, and a server that is down must not be asked again and again.
 */
class RealmKeysTests {

    private static final URI ISSUER = URI.create("http://localhost:8180/realms/chanalytics");
    private static final Duration REFETCH_INTERVAL = Duration.ofMillis(800);

    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile boolean available = true;
    private HttpServer realm;
    private ReactiveJwtDecoder decoder;
    private RSAKey signingKey;

    @BeforeEach
    void startRealm() throws Exception {
        signingKey = key("key-1");
        published.add(signingKey);
        realm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        realm.createContext("/certs", exchange -> {
            fetches.incrementAndGet();
            if (!available) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] body = new JWKSet(new ArrayList<>(
                            published.stream().map(RSAKey::toPublicJWK).toList()))
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        realm.start();
        URI certs = URI.create("http://127.0.0.1:" + realm.getAddress().getPort() + "/certs");
        decoder = TokenDecoder.of(
                new SignInProperties(
                        true,
                        ISSUER,
                        certs,
                        "chanalytics-api",
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(2),
                        REFETCH_INTERVAL,
                        URI.create(ISSUER + "/protocol/openid-connect/token/introspect"),
                        "",
                        Duration.ofSeconds(10)),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stopRealm() {
        realm.stop(0);
    }

    @Test
    void theKeysAreFetchedOnceAndHeld() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(decoder.decode(token(signingKey, signingKey.getKeyID())).block())
                    .isNotNull();
        }
        assertThat(fetches).as("fetches for 20 valid tokens").hasValue(1);
    }

    @Test
    void inventedKeyIdsCostOneFetchPerIntervalAndAreRefused() throws Exception {
        decoder.decode(token(signingKey, signingKey.getKeyID())).block();
        Thread.sleep(REFETCH_INTERVAL.toMillis() + 100);
        RSAKey forger = key("forger");
        List<String> forged = IntStream.range(0, 200)
                .mapToObj(i -> token(forger, "invented-" + i))
                .toList();

        List<Throwable> refusals = Flux.fromIterable(forged)
                .flatMap(token ->
                        decoder.decode(token).then(Mono.<Throwable>empty()).onErrorResume(Mono::just))
                .collectList()
                .block();

        assertThat(refusals)
                .hasSize(forged.size())
                .allSatisfy(refusal -> assertThat(refusal)
                        .as("a key the realm does not publish is a bad token (401), not an outage")
                        .isInstanceOf(BadJwtException.class));
        assertThat(fetches)
                .as("the first fetch, then one for 200 tokens with invented key ids")
                .hasValue(2);
    }

    @Test
    void aRotatedKeyIsFoundOnceTheIntervalHasPassed() throws Exception {
        decoder.decode(token(signingKey, signingKey.getKeyID())).block();
        RSAKey rotated = key("key-2");
        published.add(rotated);

        Thread.sleep(REFETCH_INTERVAL.toMillis() + 100);
        assertThat(decoder.decode(token(rotated, rotated.getKeyID())).block().getSubject())
                .isEqualTo("00000000-0000-4000-a000-000000000001");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aRealmThatFailsIsNotAskedAgainWithinTheInterval() throws Exception {
        decoder.decode(token(signingKey, signingKey.getKeyID())).block();
        available = false;
        Thread.sleep(REFETCH_INTERVAL.toMillis() + 100);
        RSAKey other = key("key-unseen");

        for (int i = 0; i < 5; i++) {
            String unseen = token(other, other.getKeyID());
            assertThatThrownBy(() -> decoder.decode(unseen).block())
                    .as("a key id that cannot be looked up: the realm is unreachable (503), not a bad token")
                    .isInstanceOf(JwtException.class)
                    .isNotInstanceOf(BadJwtException.class);
        }
        assertThat(decoder.decode(token(signingKey, signingKey.getKeyID())).block())
                .as("a token signed with a key already held")
                .isNotNull();
        assertThat(fetches)
                .as("the first fetch, then one that failed for 5 tokens")
                .hasValue(2);
    }

    private static RSAKey key(String id) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(id).generate();
    }

    private static String token(RSAKey key, String keyId) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .type(JOSEObjectType.JWT)
                            .keyID(keyId)
                            .build(),
                    new JWTClaimsSet.Builder()
                            .issuer(ISSUER.toString())
                            .audience("chanalytics-api")
                            .subject("00000000-0000-4000-a000-000000000001")
                            .issueTime(new Date())
                            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                            .build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
