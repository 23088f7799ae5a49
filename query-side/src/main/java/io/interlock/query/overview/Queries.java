package io.interlock.query.overview;

import io.interlock.query.web.QueryRejection;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The list and get conventions of the query API (the instance controller's, shared by the storage
 * read models): paging bounds, a sort whitelist, enum filters, and read-your-writes.
 */
public final class Queries {

    public static final int MAX_PAGE_SIZE = 500;
    private static final Duration POLL = Duration.ofMillis(25);

    private Queries() {
    }

    /** A validated sort: a whitelisted column and its direction. */
    public record Sort(String column, boolean descending) {
    }

    public static void checkPage(int page, int size) {
        if (page < 0) {
            throw QueryRejection.invalid("page", "page must not be negative");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw QueryRejection.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    public static Sort sort(String sort, Map<String, String> sortable) {
        String[] parts = sort.split(",", -1);
        String column = sortable.get(parts[0]);
        if (column == null || parts.length > 2 || parts.length == 2 && !parts[1].matches("(?i)asc|desc")) {
            throw QueryRejection.invalid("sort", "sort is one of " + sortable.keySet()
                    + ", optionally followed by ,asc or ,desc");
        }
        return new Sort(column, parts.length > 1 && parts[1].equalsIgnoreCase("desc"));
    }

    public static <E extends Enum<E>> List<E> enums(Class<E> type, String field, String csv) {
        if (csv == null || csv.isBlank()) {
            return null;
        }
        try {
            List<E> values = Arrays.stream(csv.split(",")).map(String::trim).map(v -> Enum.valueOf(type, v)).toList();
            if (values.isEmpty()) {
                throw new IllegalArgumentException("no value");
            }
            return values;
        } catch (IllegalArgumentException e) {
            throw QueryRejection.invalid(field, field + " must be one or more of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** One enum constant, or null when the filter is absent; a list or an empty value is refused. */
    public static <E extends Enum<E>> E single(Class<E> type, String field, String value) {
        List<E> values = enums(type, field, value);
        if (value != null && (values == null || values.size() != 1)) {
            throw QueryRejection.invalid(field, field + " takes exactly one of " + Arrays.toString(type.getEnumConstants()));
        }
        return values == null ? null : values.get(0);
    }

    /**
     * The row, with its version as ETag. With {@code minVersion}, waits (up to {@code wait}) until
     * the projection has applied that version, so a client that just sent a command reads its own
     * write; a row the reader may not see is not found.
     */
    public static <T> ResponseEntity<T> awaitVersion(String type, String id, Long minVersion, Duration wait,
                                                     Supplier<Optional<T>> find, Predicate<T> visible,
                                                     ToLongFunction<T> version)
            throws InterruptedException {
        Instant giveUp = Instant.now().plus(wait);
        while (true) {
            Optional<T> row = find.get();
            if (row.isPresent() && !visible.test(row.get())) {
                // another tenant's: not found, at once, exactly like a missing one that will never come
                throw QueryRejection.notFound(type, id);
            }
            Optional<T> view = row;
            if (view.isPresent() && (minVersion == null || version.applyAsLong(view.get()) >= minVersion)) {
                return ResponseEntity.ok().eTag("\"" + version.applyAsLong(view.get()) + "\"").body(view.get());
            }
            if (minVersion == null || Instant.now().isAfter(giveUp)) {
                if (view.isEmpty() && minVersion == null) {
                    throw QueryRejection.notFound(type, id);
                }
                throw new QueryRejection(QueryRejection.Kind.NOT_YET_PROJECTED,
                        "The " + type + " " + id + " has not reached version " + minVersion + " in the read model yet",
                        Map.of("resourceId", id, "minVersion", minVersion, "retryable", true));
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
