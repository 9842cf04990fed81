package io.chanalytics.crud.product;

import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.chanalytics.api.caller.Caller;
import io.chanalytics.api.problem.ApiProblem;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The service alone, repository and events mocked: a view is reported only for a product that exists. */
class ProductServiceTests {

    private static final Product LAMP =
            new Product(7L, "Lamp", "home", new BigDecimal("19.99"), 3, Instant.EPOCH, Instant.EPOCH);
    private static final Caller CALLER = new Caller("u1", null, "eu-west");

    private final ProductRepository repository = mock(ProductRepository.class);
    private final ProductEvents events = mock(ProductEvents.class);
    private final ProductService service = new ProductService(repository, events);

    @Test
    void viewingAProductReportsProductViewedForTheCaller() {
        given(repository.findById(7L)).willReturn(Mono.just(LAMP));

        StepVerifier.create(service.view(7, CALLER)).expectNext(LAMP).verifyComplete();
        verify(events).viewed(LAMP, CALLER);
    }

    @Test
    void anUnknownProductIsNotFoundAndNotReportedAsViewed() {
        given(repository.findById(8L)).willReturn(Mono.empty());

        StepVerifier.create(service.view(8, CALLER)).verifyError(ApiProblem.class);
        verifyNoInteractions(events);
    }
}
