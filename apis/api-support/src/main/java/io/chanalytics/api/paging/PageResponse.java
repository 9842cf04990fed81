package io.chanalytics.api.paging;

import java.util.List;

/** One page of a listing, with what a client needs to fetch the next one. */
public record PageResponse<T>(List<T> content, int page, int size, long totalElements, int totalPages) {

    /** Page sizes above this are rejected with a problem naming {@code size}. */
    public static final int MAX_SIZE = 100;

    public static <T> PageResponse<T> of(List<T> content, int page, int size, long totalElements) {
        int totalPages = (int) ((totalElements + size - 1) / size);
        return new PageResponse<>(content, page, size, totalElements, totalPages);
    }

    /** Row offset for SQL {@code OFFSET}, computed in long so page * size cannot overflow. */
    public static long offset(int page, int size) {
        return (long) page * size;
    }
}
