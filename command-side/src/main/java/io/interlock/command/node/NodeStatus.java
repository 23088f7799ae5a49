package io.interlock.command.node;

import io.interlock.node.NodeState;

/** What every node command answers: the id, the slot figures, and the version. */
public record NodeStatus(String nodeId, String tenant, int maxSubsystems, int usedSubsystems, long version) {

    static NodeStatus of(NodeState state, long version) {
        return new NodeStatus(state.nodeId(), state.tenant(), state.maxSubsystems(), state.usedSubsystems(), version);
    }
}
