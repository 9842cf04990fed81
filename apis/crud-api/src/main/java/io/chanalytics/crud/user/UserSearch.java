package io.chanalytics.crud.user;

import io.chanalytics.api.paging.PageResponse;
import reactor.core.publisher.Mono;

/** A page of users, in one region or all, with the total count. */
interface UserSearch {

    Mono<PageResponse<User>> findPage(String region, int page, int size);
}
