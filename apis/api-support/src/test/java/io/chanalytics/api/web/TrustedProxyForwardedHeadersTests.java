package io.chanalytics.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class TrustedProxyForwardedHeadersTests {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("198.51.100.20", 51000);
    private static final InetSocketAddress PROXY = new InetSocketAddress("172.28.0.10", 40000);

    @Test
    void byDefaultNoPeerIsBelievedAndTheHeadersAreGone() {
        var transformer = new TrustedProxyForwardedHeaders(List.of());

        ServerHttpRequest request = transformer.apply(forgedFrom(CLIENT));

        assertThat(request.getRemoteAddress()).isEqualTo(CLIENT);
        assertThat(request.getHeaders().containsHeader("X-Forwarded-For")).isFalse();
        assertThat(request.getHeaders().containsHeader("Forwarded")).isFalse();
        assertThat(request.getURI().getHost()).isEqualTo("api.local");
    }

    @Test
    void aTrustedProxyIsBelievedByAddressOrRange() {
        for (String trusted : List.of("172.28.0.10", "172.28.0.0/16")) {
            var transformer = new TrustedProxyForwardedHeaders(List.of(trusted));

            ServerHttpRequest request = transformer.apply(forgedFrom(PROXY));

            assertThat(request.getRemoteAddress()).as(trusted).isNotNull();
            assertThat(request.getRemoteAddress().getHostString()).as(trusted).isEqualTo("6.6.6.6");
            assertThat(request.getURI().getHost()).as(trusted).isEqualTo("shop.example");
        }
    }

    @Test
    void aClientOutsideTheTrustedRangeIsNotBelieved() {
        var transformer = new TrustedProxyForwardedHeaders(List.of("172.28.0.0/16"));

        assertThat(transformer.apply(forgedFrom(CLIENT)).getRemoteAddress()).isEqualTo(CLIENT);
    }

    @Test
    void aSettingThatIsNoAddressStopsTheStart() {
        for (String wrong : List.of("nginx", "10.0.0.0/33", "10.0.0.0/x")) {
            assertThatThrownBy(() -> new TrustedProxyForwardedHeaders(List.of(wrong)))
                    .as(wrong)
                    .hasMessageContaining("chanalytics.web.trusted-proxies")
                    .hasMessageContaining(wrong);
        }
    }

    private static ServerHttpRequest forgedFrom(InetSocketAddress peer) {
        return MockServerHttpRequest.get("http://api.local/products")
                .remoteAddress(peer)
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Host", "shop.example")
                .header("Forwarded", "for=6.6.6.6;host=shop.example")
                .build();
    }
}
