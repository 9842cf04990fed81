package io.chanalytics.ecommerce.system;

import static io.chanalytics.ecommerce.CatalogFixture.insertProduct;
import static io.chanalytics.ecommerce.CatalogFixture.orderTotalsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.ecommerce.EcommerceIntegrationTest;
import io.chanalytics.ecommerce.cart.CartChange;
import io.chanalytics.ecommerce.order.OrderView;
import io.chanalytics.events.BusinessEvent;
import io.chanalytics.events.BusinessEventType;
import io.chanalytics.events.RequestEvent;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A scripted shopping session, then what Kafka holds for it: one RequestEvent per call (errors included) with the
 * route template, status and business context, exactly the business events the calls imply, and ORDER_PLACED
 * amounts that add up to the order totals in PostgreSQL.
 */
class EcommerceTelemetryIntegrationTests extends EcommerceIntegrationTest {

    @Test
    void aShoppingSessionIsFullyRecorded() {
        long kettle = insertProduct("Kettle", "home", "25.00", 10);
        long novel = insertProduct("Novel", "books", "8.99", 1);

        CartChange added = request(client.post().uri("/cart"))
                .bodyValue(Map.of("productId", kettle, "quantity", 1))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(CartChange.class)
                .returnResult()
                .getResponseBody();
        CartChange novelLine = request(client.post().uri("/cart"))
                .bodyValue(Map.of("productId", novel, "quantity", 1))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(CartChange.class)
                .returnResult()
                .getResponseBody();
        request(client.put().uri("/cart/{itemId}", added.itemId()))
                .bodyValue(Map.of("quantity", 2))
                .exchange()
                .expectStatus()
                .isOk();
        request(client.delete().uri("/cart/{itemId}", novelLine.itemId()))
                .exchange()
                .expectStatus()
                .isNoContent();
        OrderView checkedOut = request(client.post().uri("/checkout"))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(OrderView.class)
                .returnResult()
                .getResponseBody();
        request(client.post().uri("/checkout")).exchange().expectStatus().isEqualTo(422);
        OrderView direct = request(client.post().uri("/orders"))
                .bodyValue(Map.of("items", List.of(Map.of("productId", novel, "quantity", 1))))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(OrderView.class)
                .returnResult()
                .getResponseBody();
        request(client.post().uri("/orders"))
                .bodyValue(Map.of("items", List.of(Map.of("productId", novel, "quantity", 1))))
                .exchange()
                .expectStatus()
                .isEqualTo(409);
        request(client.get().uri("/orders")).exchange().expectStatus().isOk();
        request(client.get().uri("/orders/{id}", direct.id()))
                .exchange()
                .expectStatus()
                .isOk();
        request(client.get().uri("/cart")).exchange().expectStatus().isOk();

        List<RequestEvent> requests = awaitEvents(REQUEST_TOPIC, RequestEvent.class, 11, ofUser(userId));
        assertThat(requests)
                .extracting(event -> event.getMethod() + " " + event.getEndpoint() + " " + event.getStatusCode())
                .containsExactly(
                        "POST /cart 201",
                        "POST /cart 201",
                        "PUT /cart/{itemId} 200",
                        "DELETE /cart/{itemId} 204",
                        "POST /checkout 201",
                        "POST /checkout 422",
                        "POST /orders 201",
                        "POST /orders 409",
                        "GET /orders 200",
                        "GET /orders/{id} 200",
                        "GET /cart 200");
        assertThat(requests).allSatisfy(event -> {
            assertThat(event.getServiceName()).isEqualTo("ecommerce-api");
            assertThat(event.getUserId()).isEqualTo(userId);
        });
        assertThat(requests.getFirst().getProductId()).isEqualTo(Long.toString(kettle));
        assertThat(requests.getFirst().getProductCategory()).isEqualTo("home");
        assertThat(requests.get(2).getCartItemsCount()).isEqualTo(3);
        assertThat(requests.get(4).getTransactionAmount()).isEqualTo(50.0);
        assertThat(requests.get(4).getCartItemsCount()).isEqualTo(2);
        assertThat(requests.get(6).getTransactionAmount()).isEqualTo(8.99);

        List<BusinessEvent> business = awaitEvents(BUSINESS_TOPIC, BusinessEvent.class, 10, ofUser(userId));
        assertThat(business)
                .extracting(BusinessEvent::getEventType)
                .containsExactly(
                        BusinessEventType.CART_ITEM_ADDED,
                        BusinessEventType.CART_ITEM_ADDED,
                        BusinessEventType.CART_ITEM_UPDATED,
                        BusinessEventType.CART_ITEM_REMOVED,
                        BusinessEventType.CHECKOUT_STARTED,
                        BusinessEventType.ORDER_PLACED,
                        BusinessEventType.CHECKOUT_STARTED,
                        BusinessEventType.ORDER_FAILED,
                        BusinessEventType.ORDER_PLACED,
                        BusinessEventType.ORDER_FAILED);
        assertThat(business.get(4).getCartItemsCount()).isEqualTo(2);
        BusinessEvent placed = business.get(5);
        assertThat(placed.getOrderId()).isEqualTo(Long.toString(checkedOut.id()));
        assertThat(placed.getAmount()).isEqualByComparingTo("50.00");
        assertThat(placed.getCurrency()).isEqualTo("USD");
        assertThat(placed.getCartItemsCount()).isEqualTo(2);
        assertThat(business.get(7).getFailureReason()).isEqualTo("EMPTY_CART");
        assertThat(business.get(9).getFailureReason()).isEqualTo("OUT_OF_STOCK");
        assertThat(business.get(9).getProductId()).isEqualTo(Long.toString(novel));

        BigDecimal placedAmounts = business.stream()
                .filter(event -> event.getEventType() == BusinessEventType.ORDER_PLACED)
                .map(BusinessEvent::getAmount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(placedAmounts).isEqualByComparingTo(orderTotalsOf("user:" + userId));
        assertThat(placedAmounts).isEqualByComparingTo("58.99");
    }

    @Test
    void aCookieOnlySessionIsTheSameInTheRecordedRequestAndTheBusinessEvent() {
        long lamp = insertProduct("Lamp", "home", "12.00", 5);
        String session = "cookie-" + java.util.UUID.randomUUID();

        client.post()
                .uri("/cart")
                .cookie("SESSION", session)
                .bodyValue(Map.of("productId", lamp, "quantity", 1))
                .exchange()
                .expectStatus()
                .isCreated();

        List<RequestEvent> requests = awaitEvents(REQUEST_TOPIC, RequestEvent.class, 1, ofSession(session));
        List<BusinessEvent> business = awaitEvents(BUSINESS_TOPIC, BusinessEvent.class, 1, ofSession(session));
        assertThat(requests.getFirst().getEndpoint()).isEqualTo("/cart");
        assertThat(business.getFirst().getEventType()).isEqualTo(BusinessEventType.CART_ITEM_ADDED);
        assertThat(business.getFirst().getProductId()).isEqualTo(Long.toString(lamp));
    }

    @Test
    void systemMetricsAreReportedPeriodically() {
        assertSystemMetricsReportedBy("ecommerce-api");
    }

    @Test
    void publishingCountersAndProbesAreExposed() {
        request(client.get().uri("/cart")).exchange().expectStatus().isOk();
        assertPublishingCountersAndProbesExposed();
    }

    @Test
    void openApiDocumentsEveryEndpoint() {
        expectApiDocs()
                .jsonPath("$.paths['/cart'].get")
                .exists()
                .jsonPath("$.paths['/cart'].post")
                .exists()
                .jsonPath("$.paths['/cart/{itemId}'].put")
                .exists()
                .jsonPath("$.paths['/cart/{itemId}'].delete")
                .exists()
                .jsonPath("$.paths['/checkout'].post")
                .exists()
                .jsonPath("$.paths['/orders'].get")
                .exists()
                .jsonPath("$.paths['/orders'].post")
                .exists()
                .jsonPath("$.paths['/orders/{id}'].get")
                .exists()
                .jsonPath("$.paths['/checkout'].post.parameters[?(@.name == 'X-User-Id')].in")
                .isEqualTo("header");
    }

    private WebTestClient.RequestBodySpec request(WebTestClient.RequestBodySpec spec) {
        return spec.header("X-User-Id", userId);
    }

    private WebTestClient.RequestHeadersSpec<?> request(WebTestClient.RequestHeadersSpec<?> spec) {
        return spec.header("X-User-Id", userId);
    }
}
