package io.chanalytics.crud.product;

import static io.chanalytics.api.testing.ProblemAssertions.expectFieldError;
import static io.chanalytics.api.testing.ProblemAssertions.expectProblemNaming;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.problem.ApiProblem;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The web layer alone: routing, validation and problem details, with the service mocked. */
// The controller alone, its caller named by X-User-Id: sign-in is tested against Keycloak (SignInIntegrationTests).
@WebFluxTest(controllers = ProductController.class, properties = "chanalytics.auth.enabled=false")
class ProductControllerTests {

    private static final Product LAMP =
            new Product(7L, "Lamp", "home", new BigDecimal("19.99"), 3, Instant.EPOCH, Instant.EPOCH);

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private ProductService products;

    @Test
    void viewingAProductPassesTheCallerFromItsHeadersToTheService() {
        given(products.view(eq(7L), any())).willReturn(Mono.just(LAMP));

        client.get()
                .uri("/products/7")
                .header("X-User-Id", "u1")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.price")
                .isEqualTo(19.99);
        verify(products).view(7L, new Caller("u1", null, null));
    }

    @Test
    void anUnknownProductIsAProblemNamingTheId() {
        given(products.view(eq(8L), any())).willReturn(Mono.error(ApiProblem.notFound("id", "No product with id 8")));

        expectProblemNaming(client.get().uri("/products/8").exchange(), HttpStatus.NOT_FOUND, "id");
    }

    @Test
    void invalidBodiesNeverReachTheService() {
        client.post()
                .uri("/products")
                .bodyValue(Map.of("name", "", "category", "home", "price", "10.00"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'name')]")
                .exists()
                .jsonPath("$.errors[?(@.field == 'stock')]")
                .exists();
        expectFieldError(
                client.put()
                        .uri("/products/0")
                        .bodyValue(Map.of("name", "A", "category", "home", "price", "10.00", "stock", 1))
                        .exchange(),
                HttpStatus.BAD_REQUEST,
                "id");
        verifyNoInteractions(products);
    }

    @Test
    void pageParametersAreBounded() {
        expectFieldError(client.get().uri("/products?page=-1").exchange(), HttpStatus.BAD_REQUEST, "page");
        expectFieldError(client.get().uri("/products?size=0").exchange(), HttpStatus.BAD_REQUEST, "size");
        verifyNoInteractions(products);
    }
}
