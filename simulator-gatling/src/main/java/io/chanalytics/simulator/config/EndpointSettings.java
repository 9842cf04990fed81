package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.GenericOperation;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import io.chanalytics.simulator.endpoints.Route;
import io.chanalytics.simulator.endpoints.Service;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One {@code endpoints[]} entry. Its weight is shared evenly by its methods; list a path twice to give its methods
 * different weights. {@link CrossReferences} checks that each method and path is an {@link Operation} of the service,
 * or a {@link GenericOperation} on a path the simulator does not know.
 *
 * @param methods case does not matter, as in HTTP tooling (Spring Boot binds enums by relaxed names)
 * @param userTypes who may call it; null (left out) means every user type
 */
public record EndpointSettings(
        @NotBlank String path,

        @NotEmpty(message = "must list at least one method") List<@NotNull HttpMethod> methods,

        @NotNull @Positive Double weight,

        @Size(min = 1, message = "must list at least one user type (or be left out)")
        List<@NotBlank String> userTypes) {

    /** The requests this entry sends to {@code service}; only valid once {@link CrossReferences} has accepted it. */
    public List<Route> operations(Service service) {
        return methods.stream().map(method -> Route.of(service, method, path)).toList();
    }

    public double weightPerOperation() {
        return weight / methods.size();
    }

    public boolean allows(String userType) {
        return userTypes == null || userTypes.contains(userType);
    }
}
