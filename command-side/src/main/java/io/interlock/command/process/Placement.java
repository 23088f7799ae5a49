package io.interlock.command.process;

import io.interlock.command.gateway.BareId;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.subsystem.NamespaceAnswer;
import io.interlock.command.subsystem.SubsystemCommands.AllocateNamespace;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.subsystem.SubsystemState;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Places a logical volume on a node (DESIGN §3.3). Candidates come from the {@link PlacementIndex};
 * the aggregates decide. Each allocation attempt touches one subsystem's aggregate only, and a new
 * subsystem is made only through the node's slot claim, so there is no node-wide or global lock,
 * and racing placements on any number of replicas can overfill neither a subsystem nor a node.
 *
 * <p>The answer is "no room" only when, after the node refused a new slot, the index shows no
 * subsystem with room and no slot that another placement has just claimed and is still creating:
 * that subsystem will have room, so the placement waits for it instead of giving up too early.
 */
@Component
public class Placement {

    private static final String NODE = "node";

    public record Placed(@JsonSerialize(using = BareId.class) String nodeId, String lvolId,
                         @JsonSerialize(using = BareId.class) String nqn, int nsid, boolean placed, long version) {
    }

    private final CommandDispatcher commands;
    private final SubsystemProvisioning provisioning;
    private final PlacementIndex index;
    private final Duration patience;
    private final Duration claimPatience;

    public Placement(CommandDispatcher commands, SubsystemProvisioning provisioning, PlacementIndex index,
                     @Value("${interlock.placement.patience:PT15S}") Duration patience,
                     @Value("${interlock.placement.claim-patience:PT30S}") Duration claimPatience) {
        this.commands = commands;
        this.provisioning = provisioning;
        this.index = index;
        this.patience = patience;
        this.claimPatience = claimPatience;
    }

    public Placed place(String nodeId, String lvolId, boolean namespaced, String tenantScope) {
        // A repeat for an lvol already placed on this node answers with its namespace again.
        var existing = index.subsystemOf(nodeId, lvolId);
        if (existing.isPresent()) {
            return placed(allocate(existing.get(), lvolId, tenantScope));
        }
        if (!namespaced) {
            String nqn = newNqn(nodeId);
            try {
                provisioning.create(nodeId, nqn, 1, true, tenantScope);
            } catch (RuntimeException refused) {
                if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED)) {
                    throw refused;
                }
                throw noRoom(nodeId, Rejections.of(refused).orElseThrow(),
                        "Node " + TenantIds.bare(nodeId)
                                + " has no free subsystem slot for a non-namespaced volume");
            }
            return placed(allocate(nqn, lvolId, tenantScope));
        }
        Instant giveUp = Instant.now().plus(patience);
        while (true) {
            PlacementIndex.NodeView view = index.view(nodeId, claimPatience);
            for (String candidate : view.candidates()) {
                try {
                    return placed(allocate(candidate, lvolId, tenantScope));
                } catch (RuntimeException refused) {
                    // It filled up, or was deleted, since the index was read: try the next one.
                    if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED, Rejection.Reason.INVALID_STATE,
                            Rejection.Reason.NOT_FOUND)) {
                        throw refused;
                    }
                }
            }
            if (view.pendingClaims() == 0) {
                String nqn = newNqn(nodeId);
                try {
                    provisioning.create(nodeId, nqn, SubsystemState.DEFAULT_MAX_NAMESPACES, false, tenantScope);
                    return placed(allocate(nqn, lvolId, tenantScope));
                } catch (RuntimeException refused) {
                    if (!Rejections.is(refused, Rejection.Reason.CAPACITY_EXHAUSTED)) {
                        throw refused;
                    }
                    // The node is full, or others filled the new subsystem first. Look again:
                    // only if nothing has room and nothing is being created is the answer no.
                    if (index.view(nodeId, claimPatience).hopeless()) {
                        throw noRoom(nodeId, Rejections.of(refused).orElseThrow(), "No subsystem on node "
                                + TenantIds.bare(nodeId) + " has a free namespace slot, and the node has no free subsystem slot for another");
                    }
                }
            } else {
                pause();
            }
            if (Instant.now().isAfter(giveUp)) {
                throw new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, NODE, nodeId, "place", Map.of(), null,
                        true, "No subsystem on node " + TenantIds.bare(nodeId)
                        + " had room while this placement was tried");
            }
        }
    }

    /** The node's own refusal, told as the placement's answer: its slot figures and version. */
    private static Rejection noRoom(String nodeId, Rejection refusal, String detail) {
        boolean fromNode = NODE.equals(refusal.resourceType());
        return new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, NODE, nodeId, "place",
                fromNode ? refusal.state() : Map.of(), fromNode ? refusal.version() : null, false, detail);
    }

    private NamespaceAnswer allocate(String nqn, String lvolId, String tenantScope) {
        return commands.send(new AllocateNamespace(nqn, lvolId, tenantScope, null));
    }

    private static Placed placed(NamespaceAnswer answer) {
        return new Placed(answer.nodeId(), answer.lvolId(), answer.nqn(), answer.nsid(),
                answer.allocated(), answer.version());
    }

    /**
     * A fresh nqn in Interlock's own naming authority, telling which node the subsystem is on, in
     * the node's tenant's id space.
     */
    static String newNqn(String nodeId) {
        return TenantIds.qualify(TenantIds.tenantOf(nodeId), "nqn.2026-01.io.interlock:" + TenantIds.bare(nodeId)
                + ":" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static void pause() {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(10, 50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a subsystem to be created", e);
        }
    }
}
