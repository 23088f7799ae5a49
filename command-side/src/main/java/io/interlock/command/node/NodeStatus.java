package io.interlock.command.node;

import io.interlock.command.gateway.BareId;
import io.interlock.node.NodeState;
import tools.jackson.databind.annotation.JsonSerialize;

/** What every node command answers: the id, the slot figures, and the version. */
public record NodeStatus(@JsonSerialize(using = BareId.class) String nodeId, String tenant, int maxSubsystems,
                         int usedSubsystems, long version) {

    static NodeStatus of(NodeState state, long version) {
        return new NodeStatus(state.nodeId(), state.tenant(), state.maxSubsystems(), state.usedSubsystems(), version);
    }
}
