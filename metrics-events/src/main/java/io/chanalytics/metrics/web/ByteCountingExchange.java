package io.chanalytics.metrics.web;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.NonNull;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Counts body bytes as they stream through, for requests without a {@code Content-Length} (chunked) and responses
 * whose length is only known once written. Counting adds one addition per buffer, nothing else.
 */
final class ByteCountingExchange {

    private final AtomicLong requestBytes = new AtomicLong();
    private final AtomicLong responseBytes = new AtomicLong();
    private final ServerWebExchange exchange;

    ByteCountingExchange(ServerWebExchange original) {
        var request = new ServerHttpRequestDecorator(original.getRequest()) {
            @Override
            public @NonNull Flux<DataBuffer> getBody() {
                return super.getBody().doOnNext(buffer -> requestBytes.addAndGet(buffer.readableByteCount()));
            }
        };
        var response = new ServerHttpResponseDecorator(original.getResponse()) {
            @Override
            public @NonNull Mono<Void> writeWith(@NonNull Publisher<? extends DataBuffer> body) {
                return super.writeWith(Flux.from(body).doOnNext(this::count));
            }

            @Override
            public @NonNull Mono<Void> writeAndFlushWith(
                    @NonNull Publisher<? extends Publisher<? extends DataBuffer>> body) {
                return super.writeAndFlushWith(
                        Flux.from(body).map(part -> Flux.from(part).doOnNext(this::count)));
            }

            private void count(DataBuffer buffer) {
                responseBytes.addAndGet(buffer.readableByteCount());
            }
        };
        this.exchange = original.mutate().request(request).response(response).build();
    }

    ServerWebExchange exchange() {
        return exchange;
    }

    long requestBytes() {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        return declared >= 0 ? declared : requestBytes.get();
    }

    long responseBytes() {
        long counted = responseBytes.get();
        long declared = exchange.getResponse().getHeaders().getContentLength();
        return counted > 0 || declared < 0 ? counted : declared;
    }
}
