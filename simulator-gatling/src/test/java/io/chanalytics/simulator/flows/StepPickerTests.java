package io.chanalytics.simulator.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.chanalytics.simulator.config.ConfigLoader;
import io.chanalytics.simulator.config.ConfigOverrides;
import io.chanalytics.simulator.config.SimulatorConfig;
import io.chanalytics.simulator.endpoints.GenericOperation;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Service;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepPickerTests {

    @Test
    void picksByWeightAcrossTheWholeRange() {
        StepPicker picker = new StepPicker(
                List.of(Operation.VIEW_PRODUCT, Operation.ADD_TO_CART, Operation.CHECKOUT), new double[] {6, 9, 10});

        assertThat(picker.byWeight(0.0)).isEqualTo(Operation.VIEW_PRODUCT);
        assertThat(picker.byWeight(0.59)).isEqualTo(Operation.VIEW_PRODUCT);
        assertThat(picker.byWeight(0.6)).isEqualTo(Operation.ADD_TO_CART);
        assertThat(picker.byWeight(0.89)).isEqualTo(Operation.ADD_TO_CART);
        assertThat(picker.byWeight(0.9)).isEqualTo(Operation.CHECKOUT);
        assertThat(picker.byWeight(0.999)).isEqualTo(Operation.CHECKOUT);
    }

    @Test
    void offersOnlyTheOperationsTheUserTypeMayUse() {
        SimulatorConfig config = ConfigLoader.load(ConfigOverrides.none());

        StepPicker newcomer = StepPicker.forUserType(config, config.userTypes().get(2));

        assertThat(newcomer.operations())
                .containsExactly(
                        Operation.REGISTER_USER,
                        Operation.GET_USER,
                        Operation.LIST_PRODUCTS,
                        Operation.VIEW_PRODUCT,
                        Operation.VIEW_CART,
                        Operation.ADD_TO_CART);
    }

    @Test
    void offersAGenericOperationFromTheConfigLikeAKnownOne() {
        String yaml = """
                simulation: {workers: 10, requests_per_second: 1, duration_minutes: 1}
                user_types:
                  - {name: shopper, weight: 1, requests_per_session: [1, 2], think_time_seconds: [0, 1]}
                endpoints:
                  crud_service:
                    base_url: http://localhost:8001
                    endpoints:
                      - {path: /products, methods: [GET], weight: 1}
                      - {path: "/products/{id}/reviews", methods: [GET], weight: 1}
                """;
        SimulatorConfig config = ConfigLoader.parse(yaml, "test", ConfigOverrides.none());
        GenericOperation reviews = new GenericOperation(Service.CRUD_API, HttpMethod.GET, "/products/{id}/reviews");

        StepPicker shopper = StepPicker.forUserType(config, config.userTypes().getFirst());

        assertThat(shopper.operations()).containsExactly(Operation.LIST_PRODUCTS, reviews);
        assertThat(shopper.byWeight(0.99)).isEqualTo(reviews);
        assertThat(StepPicker.prerequisite(reviews, Set.<String>of()::contains)).isEqualTo(reviews);
        assertThat(Journeys.caseKey(reviews)).isEqualTo("crud_api GET /products/{id}/reviews");
    }

    @Test
    void fillsTheCartBeforeCheckoutAndListsOrdersBeforeOpeningOne() {
        Set<String> nothing = Set.of();

        assertThat(StepPicker.prerequisite(Operation.CHECKOUT, nothing::contains))
                .isEqualTo(Operation.ADD_TO_CART);
        assertThat(StepPicker.prerequisite(Operation.UPDATE_CART_ITEM, nothing::contains))
                .isEqualTo(Operation.ADD_TO_CART);
        assertThat(StepPicker.prerequisite(Operation.REMOVE_CART_ITEM, nothing::contains))
                .isEqualTo(Operation.ADD_TO_CART);
        assertThat(StepPicker.prerequisite(Operation.GET_ORDER, nothing::contains))
                .isEqualTo(Operation.LIST_ORDERS);
        assertThat(StepPicker.prerequisite(Operation.DELETE_PRODUCT, nothing::contains))
                .isEqualTo(Operation.CREATE_PRODUCT);
    }

    @Test
    void keepsTheWantedOperationOnceTheVisitorIsReady() {
        Set<String> remembered = Set.of(Visitor.CART_ITEMS, Visitor.ORDERS, Visitor.CREATED_PRODUCTS);

        assertThat(StepPicker.prerequisite(Operation.CHECKOUT, remembered::contains))
                .isEqualTo(Operation.CHECKOUT);
        assertThat(StepPicker.prerequisite(Operation.GET_ORDER, remembered::contains))
                .isEqualTo(Operation.GET_ORDER);
        assertThat(StepPicker.prerequisite(Operation.DELETE_PRODUCT, remembered::contains))
                .isEqualTo(Operation.DELETE_PRODUCT);
        assertThat(StepPicker.prerequisite(Operation.VIEW_PRODUCT, Set.<String>of()::contains))
                .isEqualTo(Operation.VIEW_PRODUCT);
    }
}
