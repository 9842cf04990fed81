package io.chanalytics.crud.user;

import static org.springframework.data.relational.core.query.Criteria.where;

import io.chanalytics.api.paging.PageResponse;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

@Repository
class UserRepository {

    private final R2dbcEntityTemplate template;

    UserRepository(R2dbcEntityTemplate template) {
        this.template = template;
    }

    Mono<User> insert(User user) {
        return template.insert(user);
    }

    Mono<User> findById(long id) {
        return template.selectOne(Query.query(where("id").is(id)), User.class);
    }

    Mono<PageResponse<User>> findPage(String region, int page, int size) {
        Criteria criteria = region == null ? Criteria.empty() : where("region").is(region);
        Query query = Query.query(criteria);
        Query pageQuery = Query.query(criteria).sort(Sort.by("id")).limit(size).offset(PageResponse.offset(page, size));
        return Mono.zip(template.select(pageQuery, User.class).collectList(), template.count(query, User.class))
                .map(result -> PageResponse.of(result.getT1(), page, size, result.getT2()));
    }
}
