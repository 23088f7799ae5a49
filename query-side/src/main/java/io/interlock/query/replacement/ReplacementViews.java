package io.interlock.query.replacement;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
import io.interlock.replacement.ReplacementState;
import io.interlock.replacement.ReplacementTransitions;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;
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
import java.util.TreeSet;

/** The {@code replacement_view} table, in plain SQL; a request's steps are a JSON column of its row. */
@Repository
public class ReplacementViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(ReplacementView view, ReplacementState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "request_id", "state", "state",
            "operatingSagaId", "operating_saga_id", "regionSnapshotId", "region_snapshot_id",
            "snapshotVolumeId", "snapshot_volume_id", "stateEnteredAt", "state_entered_at", "version", "version",
            "updatedAt", "updated_at");

    private static final String COLUMNS = "request_id, state, operating_saga_id, region_snapshot_id, "
            + "snapshot_volume_id, new_region_id, new_region_volume_id, old_snapshot_volume_id, target_deleted, "
            + "steps, step_states, allowed_actions, state_entered_at, version, updated_at";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<ReplacementView> viewMapper = this::view;

    private final BatchedRows<Stored> rows;

    public ReplacementViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(ReplacementProjection.GROUP, new ViewTable<>(jdbc, "replacement_view",
                COLUMNS + ", fold_state",
                (rs, n) -> new Stored(view(rs, n), json.readValue(rs.getString(16), ReplacementState.class)),
                COLUMNS + ", fold_state", s -> values(s.view(), s.state())));
    }

    Optional<Stored> load(String id) {
        return rows.get(id);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().id(), row);
    }

    public Optional<ReplacementView> find(String id) {
        return jdbc.query("select " + COLUMNS + " from replacement_view where request_id = ?", viewMapper, id)
                .stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from replacement_view");
    }

    private Object[] values(ReplacementView v, ReplacementState state) {
        return new Object[]{v.id(), v.state().name(), v.operatingSagaId(), v.regionSnapshotId(),
                v.snapshotVolumeId(), v.newRegionId(), v.newRegionVolumeId(), v.oldSnapshotVolumeId(),
                v.targetDeleted(), json.writeValueAsString(v.steps()), stepStates(v.steps()),
                String.join(",", v.allowedActions()), Sql.timestamp(v.stateEnteredAt()), v.version(),
                Sql.timestamp(v.updatedAt()), json.writeValueAsString(state)};
    }

    /** The distinct step states, as {@code ,REQUESTED,RUNNING,} (in enum order), so a LIKE finds one. */
    private static String stepStates(List<ReplacementView.StepView> steps) {
        TreeSet<StepState> states = new TreeSet<>();
        steps.forEach(s -> states.add(s.state()));
        return "," + String.join(",", states.stream().map(Enum::name).toList()) + (states.isEmpty() ? "" : ",");
    }

    /** The filters of the list endpoint; null means "any". */
    public record Filter(List<RequestState> states, Boolean held, String operatingSagaId, Boolean targetDeleted,
                         List<StepState> stepStates, String regionSnapshotId, String snapshotVolumeId) {
    }

    public Page<ReplacementView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "replacement_view", COLUMNS, "request_id", where(filter, args), args, order, page, size, viewMapper);
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.states() != null && !filter.states().isEmpty()) {
            clauses.add("state in (" + String.join(",", filter.states().stream().map(v -> "?").toList()) + ")");
            filter.states().forEach(v -> args.add(v.name()));
        }
        if (filter.held() != null) {
            clauses.add(filter.held() ? "operating_saga_id is not null" : "operating_saga_id is null");
        }
        equal(clauses, args, "operating_saga_id", filter.operatingSagaId());
        if (filter.targetDeleted() != null) {
            clauses.add("target_deleted = ?");
            args.add(filter.targetDeleted());
        }
        if (filter.stepStates() != null && !filter.stepStates().isEmpty()) {
            // a request with at least one step in any of the states asked for
            clauses.add("(" + String.join(" or ", filter.stepStates().stream().map(v -> "step_states like ?")
                    .toList()) + ")");
            filter.stepStates().forEach(v -> args.add("%," + v.name() + ",%"));
        }
        equal(clauses, args, "region_snapshot_id", filter.regionSnapshotId());
        equal(clauses, args, "snapshot_volume_id", filter.snapshotVolumeId());
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    private static void equal(List<String> clauses, List<Object> args, String column, String value) {
        if (value != null) {
            clauses.add(column + " = ?");
            args.add(value);
        }
    }

    /** Counts per value of each state field, for {@code /v1/stats}; steps are counted one by one. */
    public Map<String, Map<String, Long>> counts() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("state", Sql.countBy(jdbc, "replacement_view", "state", null));
        counts.put("held", Sql.countBy(jdbc, "replacement_view", "case when operating_saga_id is null then 'false' else 'true' end", null));
        counts.put("targetDeleted", Sql.countBy(jdbc, "replacement_view", "case when target_deleted then 'true' else 'false' end", null));
        Map<String, Long> steps = new LinkedHashMap<>();
        jdbc.query("select steps from replacement_view where step_states <> ','", rs -> {
            for (ReplacementView.StepView step : json.readValue(rs.getString(1), ReplacementView.StepView[].class)) {
                steps.merge(step.state().name(), 1L, Long::sum);
            }
        });
        Map<String, Long> stepCounts = new LinkedHashMap<>();
        Arrays.stream(StepState.values()).filter(s -> steps.containsKey(s.name()))
                .forEach(s -> stepCounts.put(s.name(), steps.get(s.name())));
        counts.put("stepState", stepCounts);
        return counts;
    }

    /** Requests in a state a saga holds (the table's -ING states), entered before {@code before}. */
    public List<ReplacementView> heldSince(Instant before) {
        List<RequestState> held = List.copyOf(ReplacementTransitions.heldStates());
        List<Object> args = new ArrayList<>();
        held.forEach(s -> args.add(s.name()));
        args.add(Sql.timestamp(before));
        return jdbc.query("select " + COLUMNS + " from replacement_view where state in ("
                + String.join(",", held.stream().map(s -> "?").toList()) + ") and state_entered_at < ? "
                + "order by state_entered_at, request_id", viewMapper, args.toArray());
    }

    /** Requests with at least one step in {@code state}. */
    public List<ReplacementView> withStepIn(StepState state) {
        return jdbc.query("select " + COLUMNS + " from replacement_view where step_states like ? "
                + "order by request_id", viewMapper, "%," + state.name() + ",%");
    }

    private ReplacementView view(ResultSet rs, int row) throws SQLException {
        String actions = rs.getString(12);
        return new ReplacementView(rs.getString(1), RequestState.valueOf(rs.getString(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getBoolean(9), List.of(json.readValue(rs.getString(10), ReplacementView.StepView[].class)),
                actions.isEmpty() ? List.of() : Arrays.asList(actions.split(",")), Sql.instant(rs.getTimestamp(13)),
                rs.getLong(14), Sql.instant(rs.getTimestamp(15)));
    }

}
