package io.chanalytics.api.paging;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import reactor.core.publisher.Mono;

/** One page of a listing, with what a client needs to fetch the next one. */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    /** Page sizes above this are rejected with a problem naming {@code size}. */
    public static final int MAX_SIZE = 100;

    public static <T> PageResponse<T> of(List<T> content, int page, int size, long totalElements) {
        int totalPages = (int) ((totalElements + size - 1) / size);
        return new PageResponse<>(content, page, size, totalElements, totalPages);
    }

    /** The page of {@code type} rows matching {@code criteria} in id order, and how many match in all. */
    public static <T> Mono<PageResponse<T>> query(
            R2dbcEntityTemplate template, Class<T> type, Criteria criteria, int page, int size) {
        Query pageQuery = Query.query(criteria).sort(Sort.by("id")).limit(size).offset(offset(page, size));
        return Mono.zip(template.select(pageQuery, type).collectList(), template.count(Query.query(criteria), type))
                .map(result -> of(result.getT1(), page, size, result.getT2()));
    }

    /** Row offset for SQL {@code OFFSET}, computed in long so page * size cannot overflow. */
    public static long offset(int page, int size) {
        return (long) page * size;
    }
}
