package io.chanalytics.simulator.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which of the simulator's steps go with the realm admin's token: the APIs' admin routes, and only those. */
class RouteAccessTests {

    @Test
    void theUserDirectoryDemoDataAndProductWritesAreTheAdmins() {
        Set<Operation> admin =
                Arrays.stream(Operation.values()).filter(Route::needsAdmin).collect(Collectors.toSet());

        assertThat(admin)
                .containsExactlyInAnyOrder(
                        Operation.LIST_USERS,
                        Operation.REGISTER_USER,
                        Operation.GET_USER,
                        Operation.CREATE_PRODUCT,
                        Operation.UPDATE_PRODUCT,
                        Operation.DELETE_PRODUCT,
                        Operation.GENERATE_USERS,
                        Operation.GENERATE_PRODUCTS);
    }

    @Test
    void genericRoutesFollowTheSameRules() {
        assertThat(new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/users/me").needsAdmin())
                .isFalse();
        assertThat(new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/products/search").needsAdmin())
                .isFalse();
        assertThat(new GenericOperation(Service.CRUD_API, HttpMethod.DELETE, "/products/{id}").needsAdmin())
                .isTrue();
        assertThat(new GenericOperation(Service.ECOMMERCE_API, HttpMethod.GET, "/orders/{id}").needsAdmin())
                .isFalse();
    }
}
