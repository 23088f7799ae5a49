package io.interlock.query.node;

import io.interlock.node.NodeState;
import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code node_view} table, in plain SQL. */
@Repository
public class NodeViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(NodeView view, NodeState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "node_id", "tenant", "tenant",
            "maxSubsystems", "max_subsystems", "usedSubsystems", "used_subsystems",
            "freeSubsystems", "(max_subsystems - used_subsystems)", "version", "version", "updatedAt", "updated_at");

    private static final String COLUMNS = "node_id, tenant, max_subsystems, used_subsystems, subsystems, version, "
            + "updated_at";
    private static final TypeReference<List<String>> NQNS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<NodeView> mapper = this::view;

    private final BatchedRows<Stored> rows;

    public NodeViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(NodeProjection.GROUP, new ViewTable<>(jdbc, "node_view", COLUMNS + ", fold_state",
                (rs, n) -> new Stored(view(rs, n), json.readValue(rs.getString(8), NodeState.class)),
                COLUMNS + ", fold_state", this::values));
    }

    Optional<Stored> load(String nodeId) {
        return rows.get(nodeId);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().nodeId(), row);
    }

    private Object[] values(Stored row) {
        NodeView view = row.view();
        return new Object[]{view.nodeId(), view.tenant(), view.maxSubsystems(), view.usedSubsystems(),
                json.writeValueAsString(view.subsystems()), view.version(), Timestamp.from(view.updatedAt()),
                json.writeValueAsString(row.state())};
    }

    public Optional<NodeView> find(String nodeId) {
        return jdbc.query("select " + COLUMNS + " from node_view where node_id = ?", mapper, nodeId)
                .stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from node_view");
    }

    /** The filters of the list endpoint; null means "any". {@code full}: every slot is held. */
    public record Filter(String tenant, Boolean full) {
    }

    public Page<NodeView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "node_view", COLUMNS, "node_id", where(filter, args), args, order, page, size, mapper);
    }

    /** Every node the filter matches, by id: for the utilisation summary. */
    public List<NodeView> all(String tenant, String nodeId) {
        List<Object> args = new ArrayList<>();
        List<String> clauses = new ArrayList<>();
        if (tenant != null) {
            clauses.add("tenant = ?");
            args.add(tenant);
        }
        if (nodeId != null) {
            clauses.add("node_id = ?");
            args.add(nodeId);
        }
        String where = clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
        return jdbc.query("select " + COLUMNS + " from node_view" + where + " order by node_id", mapper,
                args.toArray());
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.tenant() != null) {
            clauses.add("tenant = ?");
            args.add(filter.tenant());
        }
        if (filter.full() != null) {
            clauses.add(filter.full() ? "used_subsystems >= max_subsystems" : "used_subsystems < max_subsystems");
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** Counts for {@code /v1/stats}: nodes by whether every slot is held. */
    public Map<String, Map<String, Long>> counts(String tenant) {
        Map<String, Long> full = new LinkedHashMap<>();
        String expression = "case when used_subsystems >= max_subsystems then 'true' else 'false' end";
        jdbc.query("select " + expression + " as k, count(*) from node_view" + (tenant == null ? "" : " where tenant = ?")
                        + " group by " + expression + " order by k",
                rs -> {
                    full.put(rs.getString(1), rs.getLong(2));
                }, tenant == null ? new Object[0] : new Object[]{tenant});
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("full", full);
        return counts;
    }

    private NodeView view(ResultSet rs, int row) throws SQLException {
        return new NodeView(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                json.readValue(rs.getString(5), NQNS), rs.getLong(6), rs.getTimestamp(7).toInstant());
    }
}
