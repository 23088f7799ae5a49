package io.interlock.node;

/**
 * What happened to storage nodes. A node is the authority for its subsystem slots: a subsystem
 * exists on a node only after the node recorded a claimed slot for its nqn.
 */
public final class NodeEvents {

    private NodeEvents() {
    }

    /** Every node event; the fold in {@link NodeState} accepts exactly these. */
    public sealed interface NodeEvent permits NodeRegistered, SubsystemSlotClaimed, SubsystemSlotReleased {
        String nodeId();
    }

    public record NodeRegistered(String nodeId, String tenant, int maxSubsystems) implements NodeEvent {
    }

    /** A slot is held for {@code nqn} from now on, before the subsystem itself is created. */
    public record SubsystemSlotClaimed(String nodeId, String nqn) implements NodeEvent {
    }

    /** The subsystem was deleted, or its creation failed after the claim: the slot is free again. */
    public record SubsystemSlotReleased(String nodeId, String nqn) implements NodeEvent {
    }
}
