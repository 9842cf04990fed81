package io.chanalytics.simulator.config;

import io.chanalytics.simulator.endpoints.Operation;
import java.util.List;

/**
 * One {@code endpoints[]} entry, resolved against the operations the simulator knows. Its weight is shared evenly by
 * its methods; list a path twice to give its methods different weights.
 */
public record EndpointSettings(String path, List<Operation> operations, double weight, List<String> userTypes) {

    public double weightPerOperation() {
        return weight / operations.size();
    }

    public boolean allows(String userType) {
        return userTypes.contains(userType);
    }
}
