package io.chanalytics.crud.system;

import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.crud.CrudIntegrationTest;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * A scripted sequence of calls, then what Kafka holds for it: one RequestEvent per call (errors included) with
 * the route template and status, and exactly the business events the calls imply. The session header ties the
 * events to this test in the shared topics.
 */
class CrudTelemetryIntegrationTests extends CrudIntegrationTest {

    private final String session = "s-" + UUID.randomUUID();

    @Test
    void everyRequestAndBusinessFactReachesKafka() {
        String category = "t-" + session.substring(2, 10);
        long userId = client.post()
                                .uri("/users")
                                .header("X-Session-Id", session)
                                .header("X-Region", "eu-west")
                                .bodyValue(
                                        Map.of("name", "Tess", "email", session + "@example.com", "region", "eu-west"))
                                .exchange()
                                .expectStatus()
                                .isCreated()
                                .expectBody(Map.class)
                                .returnResult()
                                .getResponseBody()
                                .get("id")
                        instanceof Number id
                ? id.longValue()
                : -1;
        long productId = ((Number) client.post()
                        .uri("/products")
                        .header("X-Session-Id", session)
                        .bodyValue(Map.of("name", "Kite", "category", category, "price", "12.50", "stock", 3))
                        .exchange()
                        .expectStatus()
                        .isCreated()
                        .expectBody(Map.class)
                        .returnResult()
                        .getResponseBody()
                        .get("id"))
                .longValue();
        call("/products/" + productId, 200);
        call("/products/" + Long.MAX_VALUE, 404);
        call("/users?size=500", 400);
        call("/no-such-route", 404);

        List<RequestEvent> requests = awaitEvents(REQUEST_TOPIC, RequestEvent.class, 6, ofSession(session));
        assertThat(requests)
                .extracting(RequestEvent::getEndpoint)
                .containsExactly("/users", "/products", "/products/{id}", "/products/{id}", "/users", "UNMATCHED");
        assertThat(requests).extracting(RequestEvent::getStatusCode).containsExactly(201, 201, 200, 404, 400, 404);
        assertThat(requests)
                .extracting(RequestEvent::getMethod)
                .containsExactly("POST", "POST", "GET", "GET", "GET", "GET");
        assertThat(requests)
                .allSatisfy(event -> assertThat(event.getServiceName()).isEqualTo("crud-api"));
        RequestEvent view = requests.get(2);
        assertThat(view.getProductId()).isEqualTo(Long.toString(productId));
        assertThat(view.getProductCategory()).isEqualTo(category);
        assertThat(requests.getFirst().getRegion()).isEqualTo("eu-west");

        List<BusinessEvent> business = awaitEvents(BUSINESS_TOPIC, BusinessEvent.class, 2, ofSession(session));
        assertThat(business)
                .extracting(BusinessEvent::getEventType)
                .containsExactly(BusinessEventType.USER_REGISTERED, BusinessEventType.PRODUCT_VIEWED);
        assertThat(business.getFirst().getUserId()).isEqualTo(Long.toString(userId));
        assertThat(business.getFirst().getRegion()).isEqualTo("eu-west");
        assertThat(business.get(1).getProductId()).isEqualTo(Long.toString(productId));
        assertThat(business.get(1).getProductCategory()).isEqualTo(category);
        assertThat(business)
                .as("the process's UUIDv8 ids (EventIds), like the request events'")
                .allSatisfy(event -> assertThat(event.getEventId().version()).isEqualTo(8));
    }

    /**
     * Tried before: a 9,000-character query string and a 20 KB header got Netty's 414 and 431 with an empty body and no
     * content type. Now problems naming what is too large, and recorded like any other request.
     */
    @Test
    void aTooLongTargetOrTooLargeHeadersAreProblemsAndRecorded() {
        expectProblemNaming(
                        client.get()
                                .uri("/products?category=" + "x".repeat(9_000))
                                .header("X-Session-Id", session)
                                .exchange(),
                        HttpStatus.URI_TOO_LONG,
                        "uri")
                .jsonPath("$.status")
                .isEqualTo(414);
        expectProblemNaming(
                        client.get()
                                .uri("/products")
                                .header("X-Session-Id", session)
                                .header("X-Padding", "p".repeat(20 * 1024))
                                .exchange(),
                        HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "X-Padding")
                .jsonPath("$.status")
                .isEqualTo(431);

        List<RequestEvent> requests = awaitEvents(REQUEST_TOPIC, RequestEvent.class, 2, ofSession(session));
        assertThat(requests).extracting(RequestEvent::getStatusCode).containsExactly(414, 431);
    }

    @Test
    void systemMetricsAreReportedPeriodically() {
        assertSystemMetricsReportedBy("crud-api");
    }

    @Test
    void publishingCountersAndProbesAreExposed() {
        call("/products?size=1", 200);
        assertPublishingCountersAndProbesExposed();
    }

    /**
     * The series the alert rules read from a service (monitoring/prometheus/rules) are on its Prometheus endpoint under
     * those names, before any failure: a name the service does not expose would keep its alert silent for ever.
     */
    @Test
    void everySeriesTheAlertRulesReadFromAServiceIsExposed() throws Exception {
        call("/products?size=1", 200);
        String rules = Files.readString(Path.of("../../monitoring/prometheus/rules/chanalytics.rules.yml"));
        Set<String> read = new TreeSet<>();
        Matcher name = Pattern.compile("\\b((?:http_server_requests_seconds|chanalytics)_[a-z_]+)")
                .matcher(rules);
        while (name.find()) {
            read.add(name.group(1));
        }
        assertThat(read)
                .contains(
                        "http_server_requests_seconds_bucket",
                        "chanalytics_events_dropped_total",
                        "chanalytics_events_failed_total");

        String exposed = prometheusScrape();
        for (String series : read) {
            assertThat(exposed).as(series).containsPattern("(?m)^" + series + "\\{");
        }
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        expectApiDocs()
                .jsonPath("$.paths['/users'].get")
                .exists()
                .jsonPath("$.paths['/users'].post")
                .exists()
                .jsonPath("$.paths['/users/{id}'].get")
                .exists()
                .jsonPath("$.paths['/products'].get")
                .exists()
                .jsonPath("$.paths['/products'].post")
                .exists()
                .jsonPath("$.paths['/products/{id}'].get")
                .exists()
                .jsonPath("$.paths['/products/{id}'].put")
                .exists()
                .jsonPath("$.paths['/products/{id}'].delete")
                .exists()
                .jsonPath("$.paths['/demo/generate-users'].post")
                .exists()
                .jsonPath("$.paths['/demo/generate-products'].post")
                .exists();
    }

    private void call(String uri, int status) {
        client.get()
                .uri(uri)
                .header("X-Session-Id", session)
                .exchange()
                .expectStatus()
                .isEqualTo(status);
    }
}
