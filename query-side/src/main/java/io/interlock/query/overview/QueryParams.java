package io.interlock.query.overview;

import io.interlock.query.web.QueryRejection;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The list and get conventions of the instance query API, shared by the read models added after
 * it: page bounds, a sort whitelist, enum filters that refuse unknown values, and the
 * {@code minVersion} wait. Each refusal is a 400 {@code validation} problem.
 */
public final class QueryParams {

    public static final int MAX_PAGE_SIZE = 500;
    private static final Duration POLL = Duration.ofMillis(25);

    private QueryParams() {
    }

    /** A whitelisted sort: the column to order by, and the direction. */
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

    /** {@code field[,asc|desc]}, where field is a key of {@code sortable} (API name to column). */
    public static Sort sort(String sort, Map<String, String> sortable) {
        String[] parts = sort.split(",", -1);
        String column = sortable.get(parts[0]);
        if (column == null || parts.length > 2 || parts.length == 2 && !parts[1].matches("(?i)asc|desc")) {
            throw QueryRejection.invalid("sort", "sort is one of " + sortable.keySet()
                    + ", optionally followed by ,asc or ,desc");
        }
        return new Sort(column, parts.length > 1 && parts[1].equalsIgnoreCase("desc"));
    }

    /** A comma-separated list of enum constants, or null when the filter is absent. */
    public static <E extends Enum<E>> List<E> enums(Class<E> type, String field, String csv) {
        if (csv == null || csv.isBlank()) {
            return null;
        }
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).map(v -> Enum.valueOf(type, v)).toList();
        } catch (IllegalArgumentException e) {
            throw QueryRejection.invalid(field, field + " must be one or more of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }

    /**
     * Get by id with read-your-writes: with {@code minVersion}, waits (up to {@code wait}) until
     * the row has reached that version; answers it with its version as the ETag.
     */
    public static <V> ResponseEntity<V> awaitVersion(String resource, String id, Long minVersion, Duration wait,
                                                     Supplier<Optional<V>> find, ToLongFunction<V> version)
            throws InterruptedException {
        Instant giveUp = Instant.now().plus(wait);
        while (true) {
            Optional<V> view = find.get();
            boolean reached = view.isPresent() && (minVersion == null || version.applyAsLong(view.get()) >= minVersion);
            if (reached) {
                return ResponseEntity.ok().eTag("\"" + version.applyAsLong(view.get()) + "\"").body(view.get());
            }
            if (minVersion == null || Instant.now().isAfter(giveUp)) {
                if (view.isEmpty() && minVersion == null) {
                    throw QueryRejection.notFound(resource, id);
                }
                throw new QueryRejection(QueryRejection.Kind.NOT_YET_PROJECTED,
                        "The " + resource + " " + id + " has not reached version " + minVersion
                                + " in the read model yet",
                        Map.of("resourceId", id, "minVersion", minVersion, "retryable", true));
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
