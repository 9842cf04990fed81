package io.chanalytics.ecommerce.order;

import io.chanalytics.api.problem.ApiProblem;

/** Why an order was refused, as reported in the problem body and the ORDER_FAILED event. */
public enum OrderFailure {
    EMPTY_CART,
    OUT_OF_STOCK,
    PRODUCT_NOT_FOUND,
    CATALOGUE_UNAVAILABLE,
    INTERNAL_ERROR;

    static final String PROPERTY = "reason";

    /** The reason carried by a problem thrown while placing an order, {@code INTERNAL_ERROR} for anything else. */
    public static OrderFailure of(Throwable error) {
        if (error instanceof ApiProblem problem && problem.getBody().getProperties() != null) {
            Object reason = problem.getBody().getProperties().get(PROPERTY);
            for (OrderFailure failure : values()) {
                if (failure.name().equals(reason)) {
                    return failure;
                }
            }
        }
        return INTERNAL_ERROR;
    }

    public ApiProblem tag(ApiProblem problem) {
        return problem.with(PROPERTY, name());
    }
}
