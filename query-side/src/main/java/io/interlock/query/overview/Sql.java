package io.interlock.query.overview;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
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
