package io.chanalytics.crud.product;

import io.chanalytics.api.paging.PageResponse;
import java.math.BigDecimal;
import reactor.core.publisher.Mono;

/** The one query Spring Data cannot derive: optional filters, a page and the total count. */
interface ProductSearch {

    Mono<PageResponse<Product>> findPage(String category, BigDecimal minPrice, BigDecimal maxPrice, int page, int size);
}
