package io.interlock.command.subsystem;

import io.interlock.command.subsystem.SubsystemCommands.AllocateNamespace;
import io.interlock.command.subsystem.SubsystemCommands.ChangeNamespace;
import io.interlock.command.subsystem.SubsystemCommands.CreateSubsystem;
import io.interlock.command.subsystem.SubsystemCommands.DeleteSubsystem;
import io.interlock.command.gateway.Versions;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.TenantIds;
import io.interlock.subsystem.NamespaceAction;
import io.interlock.subsystem.NamespaceStatus;
import io.interlock.subsystem.NamespaceTransitions;
import io.interlock.subsystem.SubsystemEvents.NamespaceAllocated;
import io.interlock.subsystem.SubsystemEvents.NamespaceOnline;
import io.interlock.subsystem.SubsystemEvents.NamespaceReleased;
import io.interlock.subsystem.SubsystemEvents.NamespaceRemoved;
import io.interlock.subsystem.SubsystemEvents.SubsystemCreated;
import io.interlock.subsystem.SubsystemEvents.SubsystemDeleted;
import io.interlock.subsystem.SubsystemEvents.SubsystemEvent;
import io.interlock.subsystem.SubsystemState;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * An NVMe-oF subsystem and its namespaces: the one authority on its namespace slots and nsids.
 * Allocations on one subsystem are settled by its own event stream alone, so allocations on
 * different subsystems never wait for each other, and racing allocations on one subsystem from
 * any replica can never exceed {@code maxNamespaces} or repeat an nsid.
 */
@Aggregate(repository = "subsystemRepository")
@SnapshottedByFields
public class Subsystem {

    static final String RESOURCE = "subsystem";

    @AggregateIdentifier
    private String nqn;
    private SubsystemState state;
    private long version;

    protected Subsystem() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Subsystem(CreateSubsystem command) {
        if (command.maxNamespaces() < 1 || command.maxNamespaces() > SubsystemState.MAX_NAMESPACES_LIMIT) {
            throw Rejection.validation(RESOURCE, command.nqn(), "create",
                    "maxNamespaces must be between 1 and " + SubsystemState.MAX_NAMESPACES_LIMIT);
        }
        apply(new SubsystemCreated(command.nqn(), command.nodeId(), command.tenant(), command.maxNamespaces(),
                command.dedicated()));
    }

    /** Only an empty subsystem may go; deleting a deleted one again answers without a new event. */
    @CommandHandler
    public SubsystemStatus handle(DeleteSubsystem command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        Versions.rejectIfMovedOn(conflicts);
        if (state.deleted()) {
            return status();
        }
        if (!state.namespaces().isEmpty()) {
            // Waiting helps when every remaining namespace is already on its way out.
            boolean draining = state.liveNamespaces() == 0;
            throw new Rejection(Rejection.Reason.INVALID_STATE, RESOURCE, nqn, "delete", stateFields(), version,
                    draining, "Subsystem " + TenantIds.bare(nqn) + " still has " + state.namespaces().size() + " namespaces");
        }
        apply(new SubsystemDeleted(nqn, state.nodeId()));
        return status();
    }

    /** The lowest free nsid, or the same one again for an lvolId that already has a namespace. */
    @CommandHandler
    public NamespaceAnswer handle(AllocateNamespace command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        Versions.rejectIfMovedOn(conflicts);
        if (state.deleted()) {
            throw invalidState("allocate", false, "Subsystem " + TenantIds.bare(nqn) + " is deleted");
        }
        SubsystemState.Namespace existing = state.namespace(command.lvolId());
        if (existing != null) {
            if (existing.status() == NamespaceStatus.IN_DELETION) {
                throw invalidState("allocate", true, "The namespace of " + command.lvolId() + " is being deleted");
            }
            return NamespaceAnswer.of(state, existing.lvolId(), existing.nsid(), false, version);
        }
        if (command.createBefore() != null && !GenericEventMessage.clock.instant().isBefore(command.createBefore())) {
            if (AllocateNamespace.EXISTING.equals(command.createBefore())) {
                throw Rejection.notFound("namespace", nqn + "/" + command.lvolId());
            }
            // Another placement may have taken the lvol over by now and be making its namespace elsewhere.
            throw new Rejection(Rejection.Reason.LOCK_HELD, RESOURCE, nqn, "allocate", stateFields(), version, true,
                    "The placement's claim on lvol " + command.lvolId() + " ran out before its namespace was made");
        }
        if (state.full()) {
            throw new Rejection(Rejection.Reason.CAPACITY_EXHAUSTED, RESOURCE, nqn, "allocate", stateFields(),
                    version, false, "Subsystem " + TenantIds.bare(nqn) + " has no free namespace slot (" + state.maxNamespaces()
                    + " in use)");
        }
        int nsid = state.lowestFreeNsid();
        apply(new NamespaceAllocated(nqn, command.lvolId(), nsid));
        return NamespaceAnswer.of(state, command.lvolId(), nsid, true, version);
    }

    @CommandHandler
    public NamespaceAnswer handle(ChangeNamespace command, ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        Versions.rejectIfMovedOn(conflicts);
        NamespaceAction action = command.action();
        SubsystemState.Namespace namespace = state.namespace(command.lvolId());
        if (namespace == null) {
            throw Rejection.notFound("namespace", nqn + "/" + command.lvolId());
        }
        switch (NamespaceTransitions.check(namespace.status(), action)) {
            case REPEAT -> {
                return NamespaceAnswer.of(state, namespace.lvolId(), namespace.nsid(), false, version);
            }
            case REFUSED -> throw invalidState(action.wireName(), false, action.wireName()
                    + " is not allowed: namespace of " + namespace.lvolId() + " is " + namespace.status());
            case ALLOWED -> {
            }
        }
        switch (action) {
            case ONLINE -> apply(new NamespaceOnline(nqn, namespace.lvolId(), namespace.nsid()));
            case RELEASE -> apply(new NamespaceReleased(nqn, namespace.lvolId(), namespace.nsid()));
            case REMOVE -> apply(new NamespaceRemoved(nqn, namespace.lvolId(), namespace.nsid()));
        }
        return NamespaceAnswer.of(state, namespace.lvolId(), namespace.nsid(), false, version);
    }

    @EventSourcingHandler
    void on(SubsystemEvent event, @SequenceNumber long sequence) {
        nqn = event.nqn();
        state = SubsystemState.evolve(state, event);
        version = sequence;
    }

    /** Ids are global in the event store; a stream that holds no subsystem events is no subsystem. */
    private void visibleTo(String tenantScope) {
        if (state == null || tenantScope != null && !tenantScope.equals(state.tenant())) {
            throw Rejection.notFound(RESOURCE, nqn);
        }
    }

    private Rejection invalidState(String action, boolean retryable, String detail) {
        return new Rejection(Rejection.Reason.INVALID_STATE, RESOURCE, nqn, action, stateFields(), version, retryable,
                detail);
    }

    private Map<String, Object> stateFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("nodeId", TenantIds.bare(state.nodeId()));
        fields.put("deleted", state.deleted());
        fields.put("maxNamespaces", state.maxNamespaces());
        fields.put("liveNamespaces", state.liveNamespaces());
        fields.put("namespaces", state.namespaces().size());
        return fields;
    }

    private SubsystemStatus status() {
        return SubsystemStatus.of(state, version);
    }
}
