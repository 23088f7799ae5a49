package io.interlock.query.overview;

import java.util.List;

/** One page of a list answer. */
public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

    public Page(List<T> items, int page, int size, long totalItems) {
        this(items, page, size, totalItems, size == 0 ? 0 : (totalItems + size - 1) / size);
    }
}
