package io.chanalytics.ecommerce.ratelimit;

import static io.chanalytics.api.testing.ProblemAssertions.expectProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import io.chanalytics.events.RequestEvent;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * The service's own limits (chanalytics-service.yml: 60 checkouts a minute per user) over HTTP: the quota passes,
 * the next is a 429 problem with Retry-After and the IETF RateLimit fields, it is recorded with its status and
 * counted, and another user is not affected.
 */
class RateLimitIntegrationTests extends EcommerceIntegrationTest {

    private static final int CHECKOUTS_PER_MINUTE = 60;

    @Test
    void aUserBeyondTheCheckoutQuotaGets429AndOthersDoNot() {
        String user = "limited-" + UUID.randomUUID();
        String session = "s-" + UUID.randomUUID();
        for (int i = 0; i < CHECKOUTS_PER_MINUTE; i++) {
            // An empty cart: 422, but a request all the same, and the quota counts requests.
            client.post()
                    .uri("/checkout")
                    .header("X-User-Id", user)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
                    .expectHeader()
                    .valueEquals("RateLimit-Policy", "\"checkout\";q=60;w=60");
        }

        var refused = client.post()
                .uri("/checkout")
                .header("X-User-Id", user)
                .header("X-Session-Id", session)
                .exchange();
        expectProblem(refused, HttpStatus.TOO_MANY_REQUESTS)
                .jsonPath("$.type")
                .isEqualTo("https://iana.org/assignments/http-problem-types#quota-exceeded")
                .jsonPath("$['violated-policies'][0]")
                .isEqualTo("checkout");
        var headers = client.post()
                .uri("/checkout")
                .header("X-User-Id", user)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .returnResult(String.class)
                .getResponseHeaders();
        long retryAfter = Long.parseLong(headers.getFirst("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(headers.getFirst("RateLimit")).isEqualTo("\"checkout\";r=0;t=" + retryAfter);

        checkout("other-" + UUID.randomUUID()).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        List<RequestEvent> recorded = awaitEvents(REQUEST_TOPIC, RequestEvent.class, 1, ofSession(session));
        assertThat(recorded).extracting(RequestEvent::getStatusCode).containsExactly(429);
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectBody(String.class)
                .value(
                        metrics -> assertThat(metrics)
                                .containsPattern(
                                        "chanalytics_ratelimit_refused_total\\{caller=\"user\",group=\"checkout\",?[^}]*} [2-9]"));
    }
}
