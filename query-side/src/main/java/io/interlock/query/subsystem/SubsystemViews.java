package io.interlock.query.subsystem;

import io.interlock.query.overview.Page;
import io.interlock.query.overview.Queries;
import io.interlock.query.overview.Sql;
import io.interlock.query.store.BatchedRows;
import io.interlock.query.store.ViewTable;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.SubsystemState;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code subsystem_view} table, in plain SQL. */
@Repository
public class SubsystemViews {

    /** A row as the projection needs it: the view plus the fold state it was computed from. */
    record Stored(SubsystemView view, SubsystemState state) {
    }

    /** Sortable fields, by API name, and the column each one is. */
    static final Map<String, String> SORTABLE = Map.of("id", "nqn", "nodeId", "node_id", "tenant", "tenant",
            "status", "status", "maxNamespaces", "max_namespaces", "liveNamespaces", "live_namespaces",
            "freeNamespaces", "(max_namespaces - live_namespaces)", "version", "version", "updatedAt", "updated_at");

    /** The count column of each namespace status. */
    private static final Map<NamespaceStatus, String> COUNT_COLUMNS = Map.of(
            NamespaceStatus.IN_CREATION, "namespaces_in_creation", NamespaceStatus.ONLINE, "namespaces_online",
            NamespaceStatus.IN_DELETION, "namespaces_in_deletion");

    private static final String COLUMNS = "nqn, node_id, tenant, status, dedicated, max_namespaces, live_namespaces, "
            + "namespaces, pending_since, version, updated_at";
    private static final TypeReference<List<SubsystemView.NamespaceView>> NAMESPACES = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<SubsystemView> mapper = this::view;

    private final BatchedRows<Stored> rows;

    public SubsystemViews(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.rows = new BatchedRows<>(SubsystemProjection.GROUP, new ViewTable<>(jdbc, "subsystem_view", COLUMNS + ", fold_state",
                (rs, n) -> new Stored(view(rs, n), json.readValue(rs.getString(12), SubsystemState.class)),
                "nqn, node_id, tenant, status, dedicated, max_namespaces, live_namespaces, namespaces_in_creation, "
                        + "namespaces_online, namespaces_in_deletion, namespaces, pending_since, version, updated_at, "
                        + "fold_state", this::values));
    }

    Optional<Stored> load(String nqn) {
        return rows.get(nqn);
    }

    /** Inserts or updates; an update applies only when the row is older, so a duplicate delivery changes nothing. */
    void save(Stored row) {
        rows.put(row.view().nqn(), row);
    }

    private Object[] values(Stored row) {
        SubsystemView view = row.view();
        return new Object[]{view.nqn(), view.nodeId(), view.tenant(), view.status().name(), view.dedicated(),
                view.maxNamespaces(), view.liveNamespaces(), view.count(NamespaceStatus.IN_CREATION),
                view.count(NamespaceStatus.ONLINE), view.count(NamespaceStatus.IN_DELETION),
                json.writeValueAsString(view.namespaces()), Sql.timestamp(view.pendingSince()), view.version(),
                Sql.timestamp(view.updatedAt()), json.writeValueAsString(row.state())};
    }

    public Optional<SubsystemView> find(String nqn) {
        return jdbc.query("select " + COLUMNS + " from subsystem_view where nqn = ?", mapper, nqn)
                .stream().findFirst();
    }

    void deleteAll() {
        jdbc.update("delete from subsystem_view");
    }

    /**
     * The filters of the list endpoint; null means "any". {@code full}: every namespace slot is
     * used; {@code namespaceStatuses}: holds at least one namespace in one of them.
     */
    public record Filter(String tenant, String nodeId, List<SubsystemView.Status> statuses, Boolean dedicated,
                         Boolean full, List<NamespaceStatus> namespaceStatuses) {
    }

    public Page<SubsystemView> list(Filter filter, int page, int size, Queries.Sort order) {
        List<Object> args = new ArrayList<>();
        return Sql.page(jdbc, "subsystem_view", COLUMNS, "nqn", where(filter, args), args, order, page, size, mapper);
    }

    private static String where(Filter filter, List<Object> args) {
        List<String> clauses = new ArrayList<>();
        if (filter.tenant() != null) {
            clauses.add("tenant = ?");
            args.add(filter.tenant());
        }
        if (filter.nodeId() != null) {
            clauses.add("node_id = ?");
            args.add(filter.nodeId());
        }
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            clauses.add("status in (" + String.join(",", filter.statuses().stream().map(s -> "?").toList()) + ")");
            filter.statuses().forEach(s -> args.add(s.name()));
        }
        if (filter.dedicated() != null) {
            clauses.add("dedicated = ?");
            args.add(filter.dedicated());
        }
        if (filter.full() != null) {
            clauses.add(filter.full() ? "live_namespaces >= max_namespaces" : "live_namespaces < max_namespaces");
        }
        if (filter.namespaceStatuses() != null && !filter.namespaceStatuses().isEmpty()) {
            clauses.add("(" + String.join(" or ", filter.namespaceStatuses().stream()
                    .map(s -> COUNT_COLUMNS.get(s) + " > 0").toList()) + ")");
        }
        return clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses);
    }

    /** The active subsystems of the given nodes, for the utilisation summary. */
    public List<SubsystemView> activeOn(String tenant, String nodeId) {
        List<Object> args = new ArrayList<>();
        String sql = "select " + COLUMNS + " from subsystem_view where status = 'ACTIVE'";
        if (tenant != null) {
            sql += " and tenant = ?";
            args.add(tenant);
        }
        if (nodeId != null) {
            sql += " and node_id = ?";
            args.add(nodeId);
        }
        return jdbc.query(sql + " order by node_id, nqn", mapper, args.toArray());
    }

    /**
     * Counts for {@code /v1/stats}: subsystems per status and by whether they are full, and the
     * namespaces of active subsystems per namespace status.
     */
    public Map<String, Map<String, Long>> counts(String tenant) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("status", Sql.countBy(jdbc, "subsystem_view", "status", tenant));
        counts.put("full", Sql.countBy(jdbc, "subsystem_view", "case when status = 'ACTIVE' and live_namespaces >= max_namespaces "
                + "then 'true' else 'false' end", tenant));
        Map<String, Long> namespaces = new LinkedHashMap<>();
        jdbc.query("select coalesce(sum(namespaces_in_creation), 0), coalesce(sum(namespaces_online), 0), "
                        + "coalesce(sum(namespaces_in_deletion), 0) from subsystem_view"
                        + (tenant == null ? "" : " where tenant = ?"),
                rs -> {
                    namespaces.put(NamespaceStatus.IN_CREATION.name(), rs.getLong(1));
                    namespaces.put(NamespaceStatus.ONLINE.name(), rs.getLong(2));
                    namespaces.put(NamespaceStatus.IN_DELETION.name(), rs.getLong(3));
                }, tenant == null ? new Object[0] : new Object[]{tenant});
        counts.put("namespaceStatus", namespaces);
        return counts;
    }

    /** Subsystems with a namespace that entered IN_CREATION or IN_DELETION before {@code before}. */
    public List<SubsystemView> pendingSince(Instant before, String tenant) {
        return jdbc.query("select " + COLUMNS + " from subsystem_view where pending_since < ?"
                        + (tenant == null ? "" : " and tenant = ?") + " order by pending_since, nqn", mapper,
                tenant == null ? new Object[]{Sql.timestamp(before)} : new Object[]{Sql.timestamp(before), tenant});
    }

    private SubsystemView view(ResultSet rs, int row) throws SQLException {
        return new SubsystemView(rs.getString(1), rs.getString(2), rs.getString(3),
                SubsystemView.Status.valueOf(rs.getString(4)), rs.getBoolean(5), rs.getInt(6), rs.getInt(7),
                json.readValue(rs.getString(8), NAMESPACES), Sql.instant(rs.getTimestamp(9)), rs.getLong(10),
                Sql.instant(rs.getTimestamp(11)));
    }

}
