package io.chanalytics.crud.product;

import io.chanalytics.api.paging.PageResponse;
import java.math.BigDecimal;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import reactor.core.publisher.Mono;

/** Spring Data's custom fragment for {@link ProductSearch}: each filter is added only when given. */
class ProductSearchImpl implements ProductSearch {

    private final R2dbcEntityTemplate template;

    ProductSearchImpl(R2dbcEntityTemplate template) {
        this.template = template;
    }

    @Override
    public Mono<PageResponse<Product>> findPage(
            String category, BigDecimal minPrice, BigDecimal maxPrice, int page, int size) {
        Criteria criteria = Criteria.empty();
        if (category != null) {
            criteria = criteria.and("category").is(category);
        }
        if (minPrice != null) {
            criteria = criteria.and("price").greaterThanOrEquals(minPrice);
        }
        if (maxPrice != null) {
            criteria = criteria.and("price").lessThanOrEquals(maxPrice);
        }
        return PageResponse.query(template, Product.class, criteria, page, size);
    }
}
