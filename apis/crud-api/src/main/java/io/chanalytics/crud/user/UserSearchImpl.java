package io.chanalytics.crud.user;

import static org.springframework.data.relational.core.query.Criteria.where;

import io.chanalytics.api.paging.PageResponse;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import reactor.core.publisher.Mono;

/** Spring Data's custom fragment for {@link UserSearch}. */
class UserSearchImpl implements UserSearch {

    private final R2dbcEntityTemplate template;

    UserSearchImpl(R2dbcEntityTemplate template) {
        this.template = template;
    }

    @Override
    public Mono<PageResponse<User>> findPage(String region, int page, int size) {
        Criteria criteria = region == null ? Criteria.empty() : where("region").is(region);
        return PageResponse.query(template, User.class, criteria, page, size);
    }
}
