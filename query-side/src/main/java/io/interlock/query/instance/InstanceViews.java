package io.interlock.query.instance;

import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceState;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
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

/** The {@code instance_view} table, in plain SQL. */
@Repository
public class InstanceViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(InstanceView view, InstanceState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "instance_id", "name", "name", "tenant", "tenant",
            "vmState", "vm_state", "taskState", "task_state", "version", "version", "updatedAt", "updated_at");

    private static final String COLUMNS = "instance_id, tenant, name, flavor, vm_state, task_state, task_id, "
            + "task_action, task_started_at, previous_vm_state, locked, allowed_actions, version, updated_at";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final BatchedRows<Stored> rows;

    public InstanceViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(InstanceProjection.GROUP, new ViewTable<>(jdbc, "instance_view", COLUMNS + ", fold_state",
                (rs, n) -> new Stored(VIEW.mapRow(rs, n), json.readValue(rs.getString(15), InstanceState.class)),
                COLUMNS + ", fold_state", s -> values(s.view(), s.state())));
    }

    Optional<Stored> load(String id) {
        return rows.get(id);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().id(), row);
    }

    public Optional<InstanceView> find(String id) {
        return jdbc.query("select " + COLUMNS + " from instance_view where instance_id = ?", VIEW, id)
                .stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from instance_view");
    }

    private Object[] values(InstanceView v, InstanceState state) {
        return new Object[]{v.id(), v.tenant(), v.name(), v.flavor(), name(v.vmState()), name(v.taskState()),
                v.taskId(), name(v.taskAction()), Sql.timestamp(v.taskStartedAt()), name(v.previousVmState()), v.locked(),
                String.join(",", v.allowedActions()), v.version(), Sql.timestamp(v.updatedAt()),
                json.writeValueAsString(state)};
    }

    /** The filters of the list endpoint; null means "any". */
    public record Filter(String tenant, List<VmState> vmStates, List<TaskState> taskStates, Boolean busy,
                         Boolean locked, VmState previousVmState) {
    }

    public Page<InstanceView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "instance_view", COLUMNS, "instance_id", where(filter, args), args, order, page, size, VIEW);
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.tenant() != null) {
            clauses.add("tenant = ?");
            args.add(filter.tenant());
        }
        Sql.in(clauses, args, "vm_state", filter.vmStates());
        Sql.in(clauses, args, "task_state", filter.taskStates());
        if (filter.busy() != null) {
            clauses.add(filter.busy() ? "task_state is not null" : "task_state is null");
        }
        if (filter.locked() != null) {
            clauses.add("locked = ?");
            args.add(filter.locked());
        }
        if (filter.previousVmState() != null) {
            clauses.add("previous_vm_state = ?");
            args.add(filter.previousVmState().name());
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** Counts per value of each state field, for {@code /v1/stats}. */
    public Map<String, Map<String, Long>> counts(String tenant) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("vmState", Sql.countBy(jdbc, "instance_view", "vm_state", tenant));
        counts.put("taskState", Sql.countBy(jdbc, "instance_view", "coalesce(task_state, 'NONE')", tenant));
        counts.put("locked", Sql.countBy(jdbc, "instance_view", "case when locked then 'true' else 'false' end", tenant));
        return counts;
    }

    /** Instances whose task started before {@code before} and has not ended. */
    public List<InstanceView> busySince(Instant before, String tenant) {
        return jdbc.query("select " + COLUMNS + " from instance_view where task_state is not null "
                        + "and task_started_at < ?" + (tenant == null ? "" : " and tenant = ?")
                        + " order by task_started_at, instance_id", VIEW,
                tenant == null ? new Object[]{Sql.timestamp(before)} : new Object[]{Sql.timestamp(before), tenant});
    }

    private static final RowMapper<InstanceView> VIEW = InstanceViews::view;

    private static InstanceView view(ResultSet rs, int row) throws SQLException {
        String actions = rs.getString(12);
        return new InstanceView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                VmState.valueOf(rs.getString(5)), enumOf(TaskState.class, rs.getString(6)), rs.getString(7),
                enumOf(InstanceAction.class, rs.getString(8)), Sql.instant(rs.getTimestamp(9)),
                enumOf(VmState.class, rs.getString(10)), rs.getBoolean(11),
                actions.isEmpty() ? List.of() : Arrays.asList(actions.split(",")), rs.getLong(13),
                Sql.instant(rs.getTimestamp(14)));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

}
