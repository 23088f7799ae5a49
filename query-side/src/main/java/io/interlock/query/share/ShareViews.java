package io.interlock.query.share;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareState;
import io.interlock.share.ShareStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
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

/** The {@code share_view} table, in plain SQL. */
@Repository
public class ShareViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(ShareView view, ShareState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "share_id", "tenant", "tenant", "status", "status",
            "size", "size", "version", "version", "updatedAt", "updated_at");

    private static final String COLUMNS = "share_id, tenant, size, protocol, status, access_rules_status, "
            + "export_path, source_share_id, source_snapshot_id, task_id, task_action, task_started_at, snapshots, "
            + "access_rules, allowed_actions, version, updated_at";
    private static final TypeReference<List<ShareView.Snapshot>> SNAPSHOTS = new TypeReference<>() {
    };
    private static final TypeReference<List<ShareView.Rule>> RULES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<ShareView> mapper = this::view;
    private final BatchedRows<Stored> rows;

    public ShareViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(ShareProjection.GROUP, new ViewTable<>(jdbc, "share_view", COLUMNS + ", fold_state",
                (rs, n) -> new Stored(view(rs, n), json.readValue(rs.getString(18), ShareState.class)),
                COLUMNS + ", fold_state", s -> values(s.view(), s.state())));
    }

    Optional<Stored> load(String id) {
        return rows.get(id);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().id(), row);
    }

    public Optional<ShareView> find(String id) {
        return jdbc.query("select " + COLUMNS + " from share_view where share_id = ?", mapper, id).stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from share_view");
    }

    private Object[] values(ShareView v, ShareState state) {
        return new Object[]{v.id(), v.tenant(), v.size(), v.protocol(), v.status().name(),
                v.accessRulesStatus().name(), v.exportPath(), v.sourceShareId(), v.sourceSnapshotId(), v.taskId(),
                v.taskAction() == null ? null : v.taskAction().name(), Sql.timestamp(v.taskStartedAt()),
                json.writeValueAsString(v.snapshots()), json.writeValueAsString(v.accessRules()),
                String.join(",", v.allowedActions()), v.version(), Sql.timestamp(v.updatedAt()),
                json.writeValueAsString(state)};
    }

    /** The filters of the list endpoint; null means "any". */
    public record Filter(String tenant, List<ShareStatus> statuses, List<AccessRulesStatus> accessRulesStatuses,
                         Boolean busy) {
    }

    public Page<ShareView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "share_view", COLUMNS, "share_id", where(filter, args), args, order, page, size, mapper);
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.tenant() != null) {
            clauses.add("tenant = ?");
            args.add(filter.tenant());
        }
        Sql.in(clauses, args, "status", filter.statuses());
        Sql.in(clauses, args, "access_rules_status", filter.accessRulesStatuses());
        if (filter.busy() != null) {
            clauses.add(filter.busy() ? "task_id is not null" : "task_id is null");
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** Counts per value of each state field, for {@code /v1/stats}. */
    public Map<String, Map<String, Long>> counts(String tenant) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("status", Sql.countBy(jdbc, "share_view", "status", tenant));
        counts.put("accessRulesStatus", Sql.countBy(jdbc, "share_view", "access_rules_status", tenant));
        return counts;
    }

    /** Shares whose own task started before {@code before} and has not ended. */
    public List<ShareView> busySince(Instant before, String tenant) {
        return jdbc.query("select " + COLUMNS + " from share_view where task_id is not null "
                        + "and task_started_at < ?" + (tenant == null ? "" : " and tenant = ?")
                        + " order by task_started_at, share_id", mapper,
                tenant == null ? new Object[]{Sql.timestamp(before)} : new Object[]{Sql.timestamp(before), tenant});
    }

    private ShareView view(ResultSet rs, int row) throws SQLException {
        String actions = rs.getString(15);
        String taskAction = rs.getString(11);
        return new ShareView(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                ShareStatus.valueOf(rs.getString(5)), AccessRulesStatus.valueOf(rs.getString(6)), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10),
                taskAction == null ? null : ShareAction.valueOf(taskAction), Sql.instant(rs.getTimestamp(12)),
                json.readValue(rs.getString(13), SNAPSHOTS), json.readValue(rs.getString(14), RULES),
                actions.isEmpty() ? List.of() : Arrays.asList(actions.split(",")), rs.getLong(16),
                Sql.instant(rs.getTimestamp(17)));
    }

}
