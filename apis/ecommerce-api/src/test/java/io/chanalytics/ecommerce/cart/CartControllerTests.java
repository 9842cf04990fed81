package io.chanalytics.ecommerce.cart;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.chanalytics.api.caller.Caller;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The web layer alone: caller identity, validation and problem details, with the service mocked. */
// The controller alone, its caller named by X-User-Id: sign-in is tested against Keycloak (SignInIntegrationTests).
@WebFluxTest(controllers = CartController.class, properties = "chanalytics.auth.enabled=false")
class CartControllerTests {

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private CartService carts;

    @Test
    void theCallerComesFromTheHeaders() {
        given(carts.add(any(), any())).willReturn(Mono.just(new CartChange(1, 2, "home", 3, 3)));

        client.post()
                .uri("/cart")
                .header("X-User-Id", "u-1")
                .header("X-Session-Id", "s-1")
                .header("X-Region", "eu-west")
                .bodyValue(Map.of("productId", 2, "quantity", 3))
                .exchange()
                .expectStatus()
                .isCreated();

        ArgumentCaptor<Caller> caller = ArgumentCaptor.forClass(Caller.class);
        verify(carts).add(caller.capture(), any());
        assertThat(caller.getValue()).isEqualTo(new Caller("u-1", "s-1", "eu-west"));
        assertThat(caller.getValue().ownerKey()).isEqualTo("user:u-1");
    }

    @Test
    void quantitiesAreBounded() {
        expectFieldError(
                client.post()
                        .uri("/cart")
                        .header("X-User-Id", "u-1")
                        .bodyValue(Map.of("productId", 2, "quantity", CartItem.MAX_QUANTITY + 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "quantity");
        expectFieldError(
                client.put()
                        .uri("/cart/5")
                        .header("X-User-Id", "u-1")
                        .bodyValue(Map.of())
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "quantity");
        verifyNoInteractions(carts);
    }

    @Test
    void overlongIdentityHeadersAreRefused() {
        expectFieldError(
                client.get().uri("/cart").header("X-User-Id", "x".repeat(65)).exchange(),
                HttpStatus.BAD_REQUEST,
                "X-User-Id");
        verifyNoInteractions(carts);
    }
}
