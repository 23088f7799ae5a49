package io.interlock.query.node;

import io.interlock.node.NodeState;
import io.interlock.query.access.BareId;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;
import java.util.List;

/**
 * One storage node as dashboards see it: its subsystem slots, used and maximum, and the nqns that
 * hold them (a slot is held from the claim on, before the subsystem itself is created).
 */
public record NodeView(@JsonSerialize(using = BareId.class) String nodeId, String tenant, int maxSubsystems, int usedSubsystems,
                       @JsonSerialize(contentUsing = BareId.class) List<String> subsystems,
                       long version, Instant updatedAt) {

    static NodeView of(NodeState state, long version, Instant at) {
        return new NodeView(state.nodeId(), state.tenant(), state.maxSubsystems(), state.usedSubsystems(),
                state.subsystems(), version, at);
    }
}
