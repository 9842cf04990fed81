package io.chanalytics.crud.product;

import static org.springframework.data.relational.core.query.Criteria.where;

import io.chanalytics.api.paging.PageResponse;
import java.math.BigDecimal;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class ProductRepository {

    private final R2dbcEntityTemplate template;

    ProductRepository(R2dbcEntityTemplate template) {
        this.template = template;
    }

    Mono<Product> insert(Product product) {
        return template.insert(product);
    }

    Mono<Product> update(Product product) {
        return template.update(product);
    }

    Mono<Product> findById(long id) {
        return template.selectOne(Query.query(where("id").is(id)), Product.class);
    }

    Mono<Boolean> deleteById(long id) {
        return template.delete(Query.query(where("id").is(id)), Product.class).map(deleted -> deleted > 0);
    }

    Mono<PageResponse<Product>> findPage(
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
        Query pageQuery = Query.query(criteria).sort(Sort.by("id")).limit(size).offset(PageResponse.offset(page, size));
        return Mono.zip(
                        template.select(pageQuery, Product.class).collectList(),
                        template.count(Query.query(criteria), Product.class))
                .map(result -> PageResponse.of(result.getT1(), page, size, result.getT2()));
    }
}
