package io.chanalytics.simulator.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.chanalytics.simulator.endpoints.HttpMethod;
import io.chanalytics.simulator.endpoints.Operation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * One {@code endpoints[]} entry. Its weight is shared evenly by its methods; list a path twice to give its methods
 * different weights. {@link CrossReferences} checks that each method and path is an {@link Operation} of the service.
 *
 * @param methods case does not matter, as in HTTP tooling
 * @param userTypes who may call it; null (left out) means every user type
 */
public record EndpointSettings(
        @NotBlank String path,

        @NotEmpty(message = "must list at least one method")
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES)
        List<@NotNull HttpMethod> methods,

        @NotNull @Positive Double weight,

        @Size(min = 1, message = "must list at least one user type (or be left out)")
        List<@NotBlank String> userTypes) {

    /** The operations this entry sends; only valid once {@link CrossReferences} has accepted the entry. */
    public List<Operation> operations() {
        return methods.stream()
                .map(method -> Operation.find(method, path).orElseThrow())
                .toList();
    }

    public double weightPerOperation() {
        return weight / methods.size();
    }

    public boolean allows(String userType) {
        return userTypes == null || userTypes.contains(userType);
    }
}
