package io.chanalytics.api.caller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chanalytics.api.problem.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class CallerTests {

    @Test
    void readsTheIdentityHeaders() {
        Caller caller = Caller.from(exchange(MockServerHttpRequest.get("/")
                .header("X-User-Id", " u-1 ")
                .header("X-Session-Id", "s-1")
                .header("X-Region", "eu-west")));

        assertThat(caller).isEqualTo(new Caller("u-1", "s-1", "eu-west"));
    }

    @Test
    void theUserOwnsBeforeTheSession() {
        assertThat(new Caller("u", "s", null).ownerKey()).isEqualTo("user:u");
        assertThat(new Caller(null, "s", null).ownerKey()).isEqualTo("session:s");
    }

    @Test
    void blankHeadersCountAsAbsent() {
        Caller caller = Caller.from(exchange(MockServerHttpRequest.get("/").header("X-User-Id", "  ")));

        assertThat(caller.userId()).isNull();
        assertThatThrownBy(caller::ownerKey)
                .isInstanceOfSatisfying(
                        ApiProblem.class,
                        problem -> assertThat(problem.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void overlongHeadersAreRefused() {
        var request = MockServerHttpRequest.get("/").header("X-Session-Id", "s".repeat(Caller.MAX_LENGTH + 1));

        assertThatThrownBy(() -> Caller.from(exchange(request)))
                .isInstanceOfSatisfying(
                        ApiProblem.class,
                        problem -> assertThat(problem.getBody().getDetail()).contains("X-Session-Id"));
    }

    @Test
    void theSessionCookieStandsInForTheSessionHeaderAsTheRecorderReadsIt() {
        Caller caller = Caller.from(exchange(
                MockServerHttpRequest.get("/").cookie(new org.springframework.http.HttpCookie("SESSION", "cookie-1"))));

        assertThat(caller.sessionId()).isEqualTo("cookie-1");
        assertThat(caller.ownerKey()).isEqualTo("session:cookie-1");
    }

    private static MockServerWebExchange exchange(MockServerHttpRequest.BaseBuilder<?> request) {
        return MockServerWebExchange.from(request);
    }
}
