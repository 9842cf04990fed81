package io.chanalytics.api.web;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.metrics.web.RequestTelemetry;
import org.jspecify.annotations.NonNull;
import org.springframework.core.MethodParameter;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Lets handler methods take {@link Caller} and {@link RequestTelemetry} as arguments, so none of them needs the raw
 * exchange. A caller header that is too long becomes the same 400 problem wherever it is read.
 */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        Class<?> type = parameter.getParameterType();
        return type == Caller.class || type == RequestTelemetry.class;
    }

    @Override
    public @NonNull Mono<Object> resolveArgument(
            MethodParameter parameter, @NonNull BindingContext bindingContext, @NonNull ServerWebExchange exchange) {
        if (parameter.getParameterType() == Caller.class) {
            return Mono.fromSupplier(() -> Caller.from(exchange));
        }
        return Mono.just(RequestTelemetry.of(exchange));
    }
}
