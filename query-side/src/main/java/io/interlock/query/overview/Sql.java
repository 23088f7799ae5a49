package io.interlock.query.overview;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The small SQL pieces every read-model repository needs, written once. */
public final class Sql {

    private Sql() {
    }

    /**
     * Rows per value of {@code expression} in {@code table}, for {@code /v1/stats}; only the
     * tenant's rows when {@code tenant} is given.
     */
    public static Map<String, Long> countBy(JdbcTemplate jdbc, String table, String expression, String tenant) {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = "select " + expression + " as k, count(*) from " + table
                + (tenant == null ? "" : " where tenant = ?") + " group by " + expression + " order by k";
        jdbc.query(sql, rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, tenant == null ? new Object[0] : new Object[]{tenant});
        return counts;
    }

    /**
     * One page of {@code table} under {@code where}, with the total count. Ties in the sort column
     * are broken by {@code idColumn}, so pages never overlap or skip a row.
     */
    public static <V> Page<V> page(JdbcTemplate jdbc, String table, String columns, String idColumn, String where,
                                   List<Object> args, Queries.Sort order, int page, int size, RowMapper<V> rows) {
        long total = jdbc.queryForObject("select count(*) from " + table + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        List<V> items = jdbc.query("select " + columns + " from " + table + where + " order by " + order.column()
                + (order.descending() ? " desc" : " asc") + ", " + idColumn + " asc limit ? offset ?", rows,
                pageArgs.toArray());
        return new Page<>(items, page, size, total);
    }

    /** Adds {@code column in (?, ...)} for a filter with one or more enum values; nothing when absent. */
    public static void in(List<String> clauses, List<Object> args, String column, List<? extends Enum<?>> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        clauses.add(column + " in (" + String.join(",", values.stream().map(v -> "?").toList()) + ")");
        values.forEach(v -> args.add(v.name()));
    }

    public static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    public static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
