package io.chanalytics.ecommerce.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import io.chanalytics.events.RequestEvent;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * The service's own limits (chanalytics-service.yml: 60 checkouts a minute per user) over HTTP: the quota passes at
 * once, then the quota's rate; beyond it a 429 problem with Retry-After and the IETF RateLimit fields, recorded with
 * its status and counted; another user is not affected.
 */
class RateLimitIntegrationTests extends EcommerceIntegrationTest {

    private static final int CHECKOUTS_PER_MINUTE = 60;

    @Test
    void aUserBeyondTheCheckoutQuotaGets429AndOthersDoNot() {
        String user = "limited-" + UUID.randomUUID();
        String session = "s-" + UUID.randomUUID();
        long started = System.nanoTime();
        int passed = 0;
        EntityExchangeResult<String> refused = null;
        while (refused == null && passed < 10 * CHECKOUTS_PER_MINUTE) {
            // An empty cart: 422, but a request all the same, and the quota counts requests.
            EntityExchangeResult<String> answer = client.post()
                    .uri("/checkout")
                    .header("X-User-Id", user)
                    .header("X-Session-Id", session)
                    .exchange()
                    .expectBody(String.class)
                    .returnResult();
            if (answer.getStatus().value() == 429) {
                refused = answer;
            } else {
                assertThat(answer.getStatus().value()).isEqualTo(422);
                assertThat(answer.getResponseHeaders().getFirst("RateLimit-Policy"))
                        .isEqualTo("\"checkout\";q=60;w=60");
                passed++;
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        // The whole quota at once, then one more a second (the quota's rate) while the test ran.
        assertThat(passed).isBetween(CHECKOUTS_PER_MINUTE, CHECKOUTS_PER_MINUTE + (int) seconds + 1);
        assertThat(refused).as("refused after %d checkouts", passed).isNotNull();

        var headers = refused.getResponseHeaders();
        assertThat(headers.getContentType()).hasToString("application/problem+json");
        long retryAfter = Long.parseLong(headers.getFirst("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(headers.getFirst("RateLimit")).isEqualTo("\"checkout\";r=0;t=" + retryAfter);
        assertThat(refused.getResponseBody())
                .contains(
                        "\"status\":429",
                        "\"type\":\"https://iana.org/assignments/http-problem-types#quota-exceeded\"",
                        "\"violated-policies\":[\"checkout\"]");

        checkout("other-" + UUID.randomUUID()).expectStatus().isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

        List<RequestEvent> recorded = awaitEvents(REQUEST_TOPIC, RequestEvent.class, passed + 1, ofSession(session));
        assertThat(recorded.getLast().getStatusCode())
                .as("the refused request, recorded")
                .isEqualTo(429);
        assertThat(prometheusScrape())
                .containsPattern(
                        "chanalytics_ratelimit_refused_total\\{caller=\"user\",group=\"checkout\",?[^}]*} [1-9]");
    }
}
