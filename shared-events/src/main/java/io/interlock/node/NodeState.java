package io.interlock.node;

import io.interlock.node.NodeEvents.NodeEvent;
import io.interlock.node.NodeEvents.NodeRegistered;
import io.interlock.node.NodeEvents.SubsystemSlotClaimed;
import io.interlock.node.NodeEvents.SubsystemSlotReleased;

import java.util.ArrayList;
import java.util.List;

/**
 * A storage node's state, and the one pure fold that produces it.
 *
 * @param subsystems the nqns holding a slot, in the order they claimed it
 */
public record NodeState(String nodeId, String tenant, int maxSubsystems, List<String> subsystems) {

    public static final int DEFAULT_MAX_SUBSYSTEMS = 75;
    /** The design names no ceiling; this one keeps a typo from registering a million slots. */
    public static final int MAX_SUBSYSTEMS_LIMIT = 1024;

    public NodeState {
        subsystems = List.copyOf(subsystems);
    }

    public boolean holds(String nqn) {
        return subsystems.contains(nqn);
    }

    public boolean full() {
        return subsystems.size() >= maxSubsystems;
    }

    public int usedSubsystems() {
        return subsystems.size();
    }

    public static NodeState evolve(NodeState state, NodeEvent event) {
        if (event instanceof NodeRegistered e) {
            return new NodeState(e.nodeId(), e.tenant(), e.maxSubsystems(), List.of());
        }
        if (event instanceof SubsystemSlotClaimed e) {
            List<String> next = new ArrayList<>(state.subsystems);
            next.add(e.nqn());
            return new NodeState(state.nodeId, state.tenant, state.maxSubsystems, next);
        }
        if (event instanceof SubsystemSlotReleased e) {
            List<String> next = new ArrayList<>(state.subsystems);
            next.remove(e.nqn());
            return new NodeState(state.nodeId, state.tenant, state.maxSubsystems, next);
        }
        throw new IllegalArgumentException("Not a node event: " + event);
    }
}
