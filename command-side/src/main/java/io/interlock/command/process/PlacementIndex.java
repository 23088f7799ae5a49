package io.interlock.command.process;

import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where placement looks for candidates: a small command-side lookup table of every subsystem
 * slot per node, with its namespace counts, and of which subsystem holds each lvol. It runs in a
 * subscribing processor, so each row changes in the same transaction as the event that changes
 * it, on whichever replica appended that event; it is never behind the event store.
 *
 * <p>It is only an index. The subsystem and node aggregates decide; placement treats every
 * candidate as a guess and moves on when the aggregate says no.
 */
@Component
@ProcessingGroup(PlacementIndex.GROUP)
public class PlacementIndex {

    public static final String GROUP = "storage-placement-index";

    private final JdbcTemplate jdbc;

    public PlacementIndex(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What placement needs to know about one node.
     *
     * @param candidates    shared subsystems that had room, least used first
     * @param pendingClaims slots claimed recently whose subsystem is not created yet
     */
    public record NodeView(List<String> candidates, int pendingClaims) {
        public boolean hopeless() {
            return candidates.isEmpty() && pendingClaims == 0;
        }
    }

    public NodeView view(String nodeId, Duration claimPatience) {
        List<String> candidates = jdbc.queryForList("select nqn from storage_subsystem_slot where node_id = ? "
                + "and created = true and dedicated = false and live_namespaces < max_namespaces "
                + "order by live_namespaces, nqn", String.class, nodeId);
        Integer pending = jdbc.queryForObject("select count(*) from storage_subsystem_slot where node_id = ? "
                + "and created = false and claimed_at > ?", Integer.class, nodeId,
                sql(Instant.now().minus(claimPatience)));
        return new NodeView(candidates, pending == null ? 0 : pending);
    }

    /** The subsystem on this node that already holds a namespace of {@code lvolId}, if any. */
    public Optional<String> subsystemOf(String nodeId, String lvolId) {
        return jdbc.queryForList("select nqn from storage_namespace_lvol where node_id = ? and lvol_id = ?",
                String.class, nodeId, lvolId).stream().findFirst();
    }

    private static java.sql.Timestamp sql(Instant instant) {
        return java.sql.Timestamp.from(instant);
    }

    @EventHandler
    void on(SubsystemSlotClaimed event, @Timestamp Instant at) {
        jdbc.update("insert into storage_subsystem_slot (nqn, node_id, created, dedicated, max_namespaces, "
                + "live_namespaces, claimed_at) values (?, ?, false, false, 0, 0, ?)",
                event.nqn(), event.nodeId(), sql(at));
    }

    @EventHandler
    void on(SubsystemSlotReleased event) {
        jdbc.update("delete from storage_subsystem_slot where nqn = ? and node_id = ?", event.nqn(), event.nodeId());
    }

    @EventHandler
    void on(SubsystemCreated event, @Timestamp Instant at) {
        int updated = jdbc.update("update storage_subsystem_slot set created = true, dedicated = ?, "
                + "max_namespaces = ? where nqn = ? and node_id = ?",
                event.dedicated(), event.maxNamespaces(), event.nqn(), event.nodeId());
        if (updated == 0) {
            jdbc.update("insert into storage_subsystem_slot (nqn, node_id, created, dedicated, max_namespaces, "
                    + "live_namespaces, claimed_at) values (?, ?, true, ?, ?, 0, ?)",
                    event.nqn(), event.nodeId(), event.dedicated(), event.maxNamespaces(), sql(at));
        }
    }

    @EventHandler
    void on(SubsystemDeleted event) {
        jdbc.update("delete from storage_subsystem_slot where nqn = ? and node_id = ?", event.nqn(), event.nodeId());
    }

    @EventHandler
    void on(NamespaceAllocated event) {
        jdbc.update("update storage_subsystem_slot set live_namespaces = live_namespaces + 1 "
                + "where nqn = ? and created = true", event.nqn());
        jdbc.update("insert into storage_namespace_lvol (nqn, lvol_id, node_id) "
                + "select nqn, ?, node_id from storage_subsystem_slot where nqn = ? and created = true",
                event.lvolId(), event.nqn());
    }

    @EventHandler
    void on(NamespaceReleased event) {
        jdbc.update("update storage_subsystem_slot set live_namespaces = live_namespaces - 1 "
                + "where nqn = ? and created = true", event.nqn());
    }

    @EventHandler
    void on(NamespaceRemoved event) {
        jdbc.update("delete from storage_namespace_lvol where nqn = ? and lvol_id = ?", event.nqn(), event.lvolId());
    }
}
