package io.chanalytics.crud.demo;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@Tag(name = "Demo data")
@RestController
@RequestMapping("/demo")
class DemoDataController {

    /** One call inserts at most this many rows, so a typo cannot fill the database. */
    static final int MAX_COUNT = 1000;

    private final DemoDataService demoData;

    DemoDataController(DemoDataService demoData) {
        this.demoData = demoData;
    }

    @Operation(summary = "Generate reproducible demo users (same seed, same users)")
    @PostMapping("/generate-users")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DemoDataResult> generateUsers(
            @RequestParam(defaultValue = "100") @Min(1) @Max(MAX_COUNT) int count,
            @RequestParam(defaultValue = "42") long seed) {
        return demoData.generateUsers(count, seed);
    }

    @Operation(summary = "Generate reproducible demo products (same seed, same products)")
    @PostMapping("/generate-products")
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DemoDataResult> generateProducts(
            @RequestParam(defaultValue = "100") @Min(1) @Max(MAX_COUNT) int count,
            @RequestParam(defaultValue = "42") long seed) {
        return demoData.generateProducts(count, seed);
    }
}
