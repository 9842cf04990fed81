package io.chanalytics.api.web;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;

/**
 * Believes {@code Forwarded} and {@code X-Forwarded-*} only from the proxies in {@code chanalytics.web.trusted-proxies}
 * (addresses or CIDR ranges, none by default): from them, Spring's own transformer takes the client's address, host and
 * scheme; from any other peer the headers are removed before anything reads them. Otherwise any client could choose
 * the address it is recorded (and rate-limited) under by writing a header.
 *
 * <p>With one proxy in front, the address believed is the first of {@code X-Forwarded-For}, so that proxy must replace
 * the header rather than append to it (NGINX: {@code proxy_set_header X-Forwarded-For $remote_addr}).
 */
public final class TrustedProxyForwardedHeaders extends ForwardedHeaderTransformer {

    private final List<IpSubnetFilterRule> trusted;
    private final ForwardedHeaderTransformer removeOnly = new ForwardedHeaderTransformer();

    public TrustedProxyForwardedHeaders(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream()
                .map(String::strip)
                .filter(proxy -> !proxy.isEmpty())
                .map(TrustedProxyForwardedHeaders::rule)
                .toList();
        removeOnly.setRemoveOnly(true);
    }

    @Override
    public ServerHttpRequest apply(ServerHttpRequest request) {
        InetSocketAddress peer = request.getRemoteAddress();
        boolean fromTrustedProxy =
                peer != null && peer.getAddress() != null && trusted.stream().anyMatch(rule -> rule.matches(peer));
        return fromTrustedProxy ? super.apply(request) : removeOnly.apply(request);
    }

    /**
     * {@code 10.0.0.0/8}, {@code 172.20.0.10} (one address), {@code ::1}, {@code fd00::/8}. Literals only
     * ({@code InetAddress.ofLiteral}): a host name is refused rather than looked up once at start.
     */
    private static IpSubnetFilterRule rule(String proxy) {
        String[] parts = proxy.split("/", 2);
        try {
            InetAddress address = InetAddress.ofLiteral(parts[0]);
            int bits = address.getAddress().length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix out of range");
            }
            return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.ACCEPT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "chanalytics.web.trusted-proxies: '" + proxy + "' is not an IP address or CIDR range", e);
        }
    }
}
