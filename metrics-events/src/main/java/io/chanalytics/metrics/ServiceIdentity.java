package io.chanalytics.metrics;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Which service and which running instance of it an event comes from. */
public record ServiceIdentity(String serviceName, String instanceId) {

    /** The instance id defaults to {@code host:pid}, stable for the life of the process and readable on dashboards. */
    public static ServiceIdentity of(String serviceName) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new ServiceIdentity(
                serviceName, host + ":" + ManagementFactory.getRuntimeMXBean().getPid());
    }
}
