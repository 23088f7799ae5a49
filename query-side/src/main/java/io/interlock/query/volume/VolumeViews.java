package io.interlock.query.volume;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code volume_view} table, in plain SQL. */
@Repository
public class VolumeViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(VolumeView view, VolumeState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "volume_id", "deletionStatus", "deletion_status",
            "lockHolder", "lock_holder", "lockedSince", "locked_since", "version", "version",
            "updatedAt", "updated_at");

    private static final String COLUMNS = "volume_id, deletion_status, lock_holder, locked_since, allowed_actions, "
            + "version, updated_at";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    private final BatchedRows<Stored> rows;

    public VolumeViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(VolumeProjection.GROUP, new ViewTable<>(jdbc, "volume_view", COLUMNS + ", fold_state",
                (rs, n) -> new Stored(VIEW.mapRow(rs, n), json.readValue(rs.getString(8), VolumeState.class)),
                COLUMNS + ", fold_state", s -> values(s.view(), s.state())));
    }

    Optional<Stored> load(String id) {
        return rows.get(id);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().id(), row);
    }

    public Optional<VolumeView> find(String id) {
        return jdbc.query("select " + COLUMNS + " from volume_view where volume_id = ?", VIEW, id)
                .stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from volume_view");
    }

    private Object[] values(VolumeView v, VolumeState state) {
        return new Object[]{v.id(), v.deletionStatus().name(), v.lockHolder(), Sql.timestamp(v.lockedSince()),
                String.join(",", v.allowedActions()), v.version(), Sql.timestamp(v.updatedAt()),
                json.writeValueAsString(state)};
    }

    /** The filters of the list endpoint; null means "any". */
    public record Filter(List<DeletionStatus> deletionStatuses, Boolean locked, String lockHolder) {
    }

    public Page<VolumeView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "volume_view", COLUMNS, "volume_id", where(filter, args), args, order, page, size, VIEW);
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.deletionStatuses() != null && !filter.deletionStatuses().isEmpty()) {
            clauses.add("deletion_status in (" + String.join(",",
                    filter.deletionStatuses().stream().map(v -> "?").toList()) + ")");
            filter.deletionStatuses().forEach(v -> args.add(v.name()));
        }
        if (filter.locked() != null) {
            clauses.add(filter.locked() ? "lock_holder is not null" : "lock_holder is null");
        }
        if (filter.lockHolder() != null) {
            clauses.add("lock_holder = ?");
            args.add(filter.lockHolder());
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** Counts per value of each state field, for {@code /v1/stats}. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("deletionStatus", Sql.countBy(jdbc, "volume_view", "deletion_status", null));
        counts.put("locked", Sql.countBy(jdbc, "volume_view", "case when lock_holder is null then 'false' else 'true' end", null));
        return counts;
    }

    /** Deleted volumes whose repair lock is still held, deleted (last changed) before {@code before}. */
    public List<VolumeView> deletedButLockedSince(Instant before) {
        return jdbc.query("select " + COLUMNS + " from volume_view where deletion_status <> 'ACTIVE' "
                + "and lock_holder is not null and updated_at < ? order by updated_at, volume_id", VIEW,
                Sql.timestamp(before));
    }

    private static final RowMapper<VolumeView> VIEW = VolumeViews::view;

    private static VolumeView view(ResultSet rs, int row) throws SQLException {
        String actions = rs.getString(5);
        String holder = rs.getString(3);
        return new VolumeView(rs.getString(1), DeletionStatus.valueOf(rs.getString(2)), holder, holder != null,
                Sql.instant(rs.getTimestamp(4)), actions.isEmpty() ? List.of() : Arrays.asList(actions.split(",")),
                rs.getLong(6), Sql.instant(rs.getTimestamp(7)));
    }

}
