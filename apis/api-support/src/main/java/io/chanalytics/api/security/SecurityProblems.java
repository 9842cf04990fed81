package io.chanalytics.api.security;

import io.chanalytics.api.problem.InvalidField;
import io.chanalytics.api.problem.ProblemDetailsAdvice;
import io.chanalytics.api.problem.ProblemResponses;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Sign-in's refusals as {@code application/problem+json}, like every other error of the services, naming the
 * {@code Authorization} header: {@code 401} with the RFC 6750 {@code WWW-Authenticate} challenge (no token, or one
 * that is malformed, expired, for another audience or issuer, or not signed by the realm's keys), {@code 403} when the
 * token's roles do not allow the route, and {@code 503} with {@code Retry-After} when a token names a key the service
 * does not hold and Keycloak cannot be asked for it: the token may be valid, so it is not refused as invalid.
 */
final class SecurityProblems
        implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerAuthenticationFailureHandler {

    /** Seconds a client waits before retrying while the keys cannot be fetched. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger log = LoggerFactory.getLogger(SecurityProblems.class);
    private static final String AUTHORIZATION = HttpHeaders.AUTHORIZATION;

    private final ProblemResponses problems;

    SecurityProblems(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException refused) {
        if (refused instanceof OAuth2AuthenticationException invalid) {
            String reason = description(invalid);
            exchange.getResponse()
                    .getHeaders()
                    .set(
                            HttpHeaders.WWW_AUTHENTICATE,
                            String.format("Bearer error=\"invalid_token\", error_description=\"%s\"", reason));
            return write(exchange, HttpStatus.UNAUTHORIZED, "Invalid token", reason);
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return write(
                exchange,
                HttpStatus.UNAUTHORIZED,
                "Sign-in required",
                "This route needs a signed-in caller: send Authorization: Bearer <access token from Keycloak>");
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        exchange.getResponse()
                .getHeaders()
                .set(
                        HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"insufficient_scope\", error_description=\"The token's roles do not allow"
                                + " this route\"");
        return write(
                exchange,
                HttpStatus.FORBIDDEN,
                "Forbidden",
                "The token's roles do not allow this route (product writes, the user list and demo data need the"
                        + " admin role; the shop needs customer)");
    }

    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange filterExchange, AuthenticationException failure) {
        ServerWebExchange exchange = filterExchange.getExchange();
        if (failure instanceof AuthenticationServiceException) {
            log.warn("A token could not be checked: {}", failure.getMessage());
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
            return write(
                    exchange,
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "Sign-in unavailable",
                    "The token is signed with a key this service does not hold yet and Keycloak cannot be reached to"
                            + " fetch it; retry later");
        }
        return commence(exchange, failure);
    }

    /** The RFC 6750 description, without characters that would end the quoted header value. */
    private static String description(OAuth2AuthenticationException invalid) {
        String text = invalid.getError().getDescription();
        if (text == null || text.isBlank()) {
            text = invalid.getError().getErrorCode();
        }
        return text.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "'");
    }

    private Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setProperty(ProblemDetailsAdvice.ERRORS, List.of(new InvalidField(AUTHORIZATION, detail)));
        return problems.write(exchange, problem);
    }
}
