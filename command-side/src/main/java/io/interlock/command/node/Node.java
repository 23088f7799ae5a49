package io.interlock.command.node;

import io.interlock.command.gateway.Versions;
import io.interlock.command.node.NodeCommands.ClaimSubsystemSlot;
import io.interlock.command.node.NodeCommands.ConfirmNodeVersion;
import io.interlock.command.node.NodeCommands.RegisterNode;
import io.interlock.command.node.NodeCommands.ReleaseSubsystemSlot;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.node.NodeEvents.NodeEvent;
import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;
import io.interlock.node.NodeState;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A storage node: the one authority on how many subsystems it holds. Every subsystem claims its
 * slot here first, so racing creations on any replica are settled by this aggregate's event
 * stream and the node can never hold more than {@code maxSubsystems}.
 */
@Aggregate(repository = "nodeRepository")
@SnapshottedByFields
public class Node {

    static final String RESOURCE = "node";

    @AggregateIdentifier
    private String nodeId;
    private NodeState state;
    private long version;

    protected Node() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Node(RegisterNode command) {
        if (command.maxSubsystems() < 1 || command.maxSubsystems() > NodeState.MAX_SUBSYSTEMS_LIMIT) {
            throw Rejection.validation(RESOURCE, command.nodeId(), "create",
                    "maxSubsystems must be between 1 and " + NodeState.MAX_SUBSYSTEMS_LIMIT);
        }
        apply(new NodeRegistered(command.nodeId(), command.tenant(), command.maxSubsystems()));
    }

    @CommandHandler
    public NodeStatus handle(ClaimSubsystemSlot command) {
        visibleTo(command.tenantScope());
        if (state.holds(command.nqn())) {
            throw new Rejection(Rejection.Reason.ALREADY_EXISTS, RESOURCE, nodeId, "claim-subsystem-slot",
                    stateFields(), version, false, "Subsystem " + TenantIds.bare(command.nqn()) + " already holds a slot on this node");
        }
        if (state.full()) {
            // Waiting helps only if someone deletes a subsystem; that is not something to poll for.
            throw new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, RESOURCE, nodeId, "claim-subsystem-slot",
                    stateFields(), version, false,
                    "Node " + TenantIds.bare(nodeId) + " has no free subsystem slot (" + state.maxSubsystems() + " in use)");
        }
        apply(new SubsystemSlotClaimed(nodeId, command.nqn()));
        return status();
    }

    @CommandHandler
    public NodeStatus handle(ConfirmNodeVersion command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        Versions.rejectIfMovedOn(conflicts);
        return status();
    }

    @CommandHandler
    public NodeStatus handle(ReleaseSubsystemSlot command) {
        exists();
        if (state.holds(command.nqn())) {
            apply(new SubsystemSlotReleased(nodeId, command.nqn()));
        }
        return status();
    }

    @EventSourcingHandler
    void on(NodeEvent event, @SequenceNumber long sequence) {
        nodeId = event.nodeId();
        state = NodeState.evolve(state, event);
        version = sequence;
    }

    /** Ids are global in the event store: a stream that holds no node events is no node. */
    private void exists() {
        if (state == null) {
            throw Rejection.notFound(RESOURCE, nodeId);
        }
    }

    private void visibleTo(String tenantScope) {
        exists();
        if (tenantScope != null && !tenantScope.equals(state.tenant())) {
            throw Rejection.notFound(RESOURCE, nodeId);
        }
    }

    private Map<String, Object> stateFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("maxSubsystems", state.maxSubsystems());
        fields.put("usedSubsystems", state.usedSubsystems());
        return fields;
    }

    private NodeStatus status() {
        return NodeStatus.of(state, version);
    }
}
