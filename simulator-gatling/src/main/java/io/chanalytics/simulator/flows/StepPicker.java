package io.chanalytics.simulator.flows;

import io.chanalytics.simulator.config.EndpointSettings;
import io.chanalytics.simulator.config.SimulatorConfig;
import io.chanalytics.simulator.config.UserType;
import io.chanalytics.simulator.endpoints.Operation;
import io.gatling.javaapi.core.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Chooses a visitor's next request: by weight among the operations its user type may use, then replaced by the step
 * that must come first when the visitor is not ready for it (an empty cart is filled before checkout, an order is
 * listed before it is opened). Each step stays exactly one request, so the offered rate matches the configuration.
 */
public final class StepPicker {

    private final List<Operation> operations;
    private final double[] cumulativeWeights;

    StepPicker(List<Operation> operations, double[] cumulativeWeights) {
        this.operations = operations;
        this.cumulativeWeights = cumulativeWeights;
    }

    public static StepPicker forUserType(SimulatorConfig config, UserType type) {
        List<Operation> operations = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        config.services().stream()
                .flatMap(service -> service.endpoints().stream())
                .filter(endpoint -> endpoint.allows(type.name()))
                .forEach(endpoint -> addAll(endpoint, operations, weights));
        double[] cumulative = new double[weights.size()];
        double total = 0;
        for (int index = 0; index < weights.size(); index++) {
            total += weights.get(index);
            cumulative[index] = total;
        }
        return new StepPicker(List.copyOf(operations), cumulative);
    }

    private static void addAll(EndpointSettings endpoint, List<Operation> operations, List<Double> weights) {
        for (Operation operation : endpoint.operations()) {
            operations.add(operation);
            weights.add(endpoint.weightPerOperation());
        }
    }

    public List<Operation> operations() {
        return operations;
    }

    public Operation pick(Session session) {
        return prerequisite(
                byWeight(ThreadLocalRandom.current().nextDouble()),
                list -> !Visitor.list(session, list).isEmpty());
    }

    /** The operation whose weight interval contains {@code draw}, a number in [0, 1). */
    Operation byWeight(double draw) {
        double target = draw * cumulativeWeights[cumulativeWeights.length - 1];
        for (int index = 0; index < cumulativeWeights.length; index++) {
            if (target < cumulativeWeights[index]) {
                return operations.get(index);
            }
        }
        return operations.getLast();
    }

    /** {@code remembers} tells whether the visitor's list (cart items, orders, created products) has any entry. */
    static Operation prerequisite(Operation wanted, Predicate<String> remembers) {
        return switch (wanted) {
            case UPDATE_CART_ITEM, REMOVE_CART_ITEM, CHECKOUT ->
                remembers.test(Visitor.CART_ITEMS) ? wanted : Operation.ADD_TO_CART;
            case GET_ORDER -> remembers.test(Visitor.ORDERS) ? wanted : Operation.LIST_ORDERS;
            case DELETE_PRODUCT -> remembers.test(Visitor.CREATED_PRODUCTS) ? wanted : Operation.CREATE_PRODUCT;
            default -> wanted;
        };
    }
}
