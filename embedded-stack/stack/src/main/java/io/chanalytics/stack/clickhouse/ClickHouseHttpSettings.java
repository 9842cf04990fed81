package io.chanalytics.stack.clickhouse;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the embedded ClickHouse HTTP interface listens and who may use it. It listens on loopback unless told
 * otherwise, and a non-loopback address is refused without a password: the data would otherwise be open to the
 * network. With a password set, every request must carry the user and password (as the compose server requires),
 * so the same client settings work in both modes.
 */
public record ClickHouseHttpSettings(String host, int port, String user, String password, QueryLimits limits) {

    public static final String LOOPBACK = "127.0.0.1";

    public ClickHouseHttpSettings {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("The ClickHouse HTTP user must not be empty");
        }
        password = password == null ? "" : password;
        if (password.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("The ClickHouse HTTP interface may listen on " + host
                    + " (not loopback) only with a password: set CLICKHOUSE_ADMIN_PASSWORD");
        }
    }

    public boolean requiresPassword() {
        return !password.isEmpty();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Unknown ClickHouse HTTP host " + host, e);
        }
    }
}
