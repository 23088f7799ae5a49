package io.interlock.query.instance;

import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceState;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.query.access.BareId;
import tools.jackson.databind.annotation.JsonSerialize;

import java.time.Instant;
import java.util.List;

/**
 * One instance as dashboards see it: every state field, the version to send back in
 * {@code If-Match}, and the actions the transition table allows right now.
 */
public record InstanceView(@JsonSerialize(using = BareId.class) String id, String tenant, String name, String flavor,
                           VmState vmState, TaskState taskState, String taskId, InstanceAction taskAction, Instant taskStartedAt,
                           VmState previousVmState, boolean locked, List<String> allowedActions, long version,
                           Instant updatedAt) {

    static InstanceView of(InstanceState state, long version, Instant at, Instant taskStartedAt) {
        return new InstanceView(state.instanceId(), state.tenant(), state.name(), state.flavor(), state.vmState(),
                state.taskState(), state.taskId(), state.taskAction(), state.taskState() == null ? null : taskStartedAt,
                state.previousVmState(), state.locked(), InstanceTransitions.allowedActions(state), version, at);
    }
}
