package io.chanalytics.simulator.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.simulator.flows.DemoData;
import io.chanalytics.simulator.flows.DemoData.DemoProduct;
import io.chanalytics.simulator.flows.DemoData.DemoUser;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericRequestsTests {

    private final GenericRequests requests = new GenericRequests(new DemoData(
            List.of(new DemoUser("7", "eu-west")), List.of(new DemoProduct("42", "Lamp", "home", "19.99"))));

    @Test
    void aPlaceholderAfterUsersIsTheVisitorsOwnUserId() {
        GenericOperation orders = new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/users/{user_id}/orders");

        assertThat(requests.path(orders, "7", List.of())).isEqualTo("/users/7/orders");
    }

    @Test
    void anyOtherPlaceholderIsAProductListedBySessionOrElseFromTheCatalogue() {
        GenericOperation reviews =
                new GenericOperation(Service.CRUD_API, HttpMethod.DELETE, "/products/{item_id}/reviews");

        assertThat(requests.path(reviews, "7", List.of())).isEqualTo("/products/42/reviews");
        assertThat(requests.path(reviews, "7", List.of("3"))).isEqualTo("/products/3/reviews");
    }

    @Test
    void everyPlaceholderIsFilledByTheSegmentBeforeIt() {
        GenericOperation nested =
                new GenericOperation(Service.ECOMMERCE_API, HttpMethod.GET, "/users/{id}/wishlist/{product_id}");
        GenericOperation plain = new GenericOperation(Service.ECOMMERCE_API, HttpMethod.GET, "/actuator/health");

        assertThat(requests.path(nested, "7", List.of())).isEqualTo("/users/7/wishlist/42");
        assertThat(requests.path(plain, "7", List.of())).isEqualTo("/actuator/health");
    }

    /** The GET and DELETE builders need Gatling's runtime (its DSL refuses to load outside a run): the smoke run. */
    @Test
    void aMethodWithABodyIsNotAGenericRequest() {
        GenericOperation post = new GenericOperation(Service.CRUD_API, HttpMethod.POST, "/reviews");

        assertThatThrownBy(() -> requests.request("http://localhost:8001", post))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("POST needs a body: not a generic operation");
    }

    @Test
    void pathTemplatesStartWithASlashAndBraceOnlyPlaceholderNames() {
        assertThat(GenericOperation.isValidTemplate("/users/{id}/orders")).isTrue();
        assertThat(GenericOperation.isValidTemplate("/health")).isTrue();
        assertThat(GenericOperation.isValidTemplate("users/{id}")).isFalse();
        assertThat(GenericOperation.isValidTemplate("/users/{id")).isFalse();
        assertThat(GenericOperation.isValidTemplate("/users/{ id }")).isFalse();
        assertThat(GenericOperation.isValidTemplate("/users list")).isFalse();
    }

    @Test
    void aKnownMethodAndPathStaysTheKnownOperation() {
        assertThat(Route.of(Service.CRUD_API, HttpMethod.GET, "/products/{id}")).isEqualTo(Operation.VIEW_PRODUCT);
        assertThat(Route.of(Service.CRUD_API, HttpMethod.GET, "/products/{id}/reviews"))
                .isEqualTo(new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/products/{id}/reviews"));
    }
}
