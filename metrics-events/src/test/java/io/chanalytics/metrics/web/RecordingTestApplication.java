package io.chanalytics.metrics.web;

import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** A minimal WebFlux service that only adds the metrics-events dependency, as a real service would. */
@SpringBootApplication
public class RecordingTestApplication {

    @RestController
    static class ItemController {

        @GetMapping("/items/{id}")
        Mono<Map<String, String>> item(@PathVariable String id, ServerWebExchange exchange) {
            if (id.equals("missing")) {
                return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no such item"));
            }
            RequestTelemetry.of(exchange).productId(id).productCategory("books");
            return Mono.just(Map.of("id", id, "name", "Item " + id));
        }

        @PostMapping("/items")
        Mono<ResponseEntity<String>> create(@RequestBody String body, ServerWebExchange exchange) {
            RequestTelemetry.of(exchange).transactionAmount(12.5).cartItemsCount(2);
            return Mono.just(ResponseEntity.status(HttpStatus.CREATED).body(body.toUpperCase()));
        }

        @GetMapping("/boom")
        Mono<String> boom() {
            return Mono.error(new IllegalStateException("unexpected failure"));
        }
    }
}
