package io.chanalytics.simulator.flows;

import io.chanalytics.simulator.config.EndpointSettings;
import io.chanalytics.simulator.config.SimulatorConfig;
import io.chanalytics.simulator.config.UserType;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Route;
import io.chanalytics.simulator.endpoints.Service;
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

    private final List<Route> operations;
    private final double[] cumulativeWeights;

    StepPicker(List<? extends Route> operations, double[] cumulativeWeights) {
        this.operations = List.copyOf(operations);
        this.cumulativeWeights = cumulativeWeights;
    }

    public static StepPicker forUserType(SimulatorConfig config, UserType type) {
        List<Route> operations = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        config.endpoints()
                .forEach((service, settings) -> settings.endpoints().stream()
                        .filter(endpoint -> endpoint.allows(type.name()))
                        .forEach(endpoint -> addAll(service, endpoint, operations, weights)));
        double[] cumulative = new double[weights.size()];
        double total = 0;
        for (int index = 0; index < weights.size(); index++) {
            total += weights.get(index);
            cumulative[index] = total;
        }
        return new StepPicker(operations, cumulative);
    }

    private static void addAll(
            Service service, EndpointSettings endpoint, List<Route> operations, List<Double> weights) {
        for (Route operation : endpoint.operations(service)) {
            operations.add(operation);
            weights.add(endpoint.weightPerOperation());
        }
    }

    public List<Route> operations() {
        return operations;
    }

    public Route pick(Session session) {
        return prerequisite(
                byWeight(ThreadLocalRandom.current().nextDouble()),
                list -> !Visitor.list(session, list).isEmpty());
    }

    /** The operation whose weight interval contains {@code draw}, a number in [0, 1). */
    Route byWeight(double draw) {
        double target = draw * cumulativeWeights[cumulativeWeights.length - 1];
        for (int index = 0; index < cumulativeWeights.length; index++) {
            if (target < cumulativeWeights[index]) {
                return operations.get(index);
            }
        }
        return operations.getLast();
    }

    /**
     * {@code remembers} tells whether the visitor's list (cart items, orders, created products) has any entry. A
     * generic operation has no prerequisite: its ids come from the demo data.
     */
    static Route prerequisite(Route wanted, Predicate<String> remembers) {
        if (!(wanted instanceof Operation known)) {
            return wanted;
        }
        return switch (known) {
            case UPDATE_CART_ITEM, REMOVE_CART_ITEM, CHECKOUT ->
                remembers.test(Visitor.CART_ITEMS) ? wanted : Operation.ADD_TO_CART;
            case GET_ORDER -> remembers.test(Visitor.ORDERS) ? wanted : Operation.LIST_ORDERS;
            case DELETE_PRODUCT -> remembers.test(Visitor.CREATED_PRODUCTS) ? wanted : Operation.CREATE_PRODUCT;
            default -> known;
        };
    }
}
