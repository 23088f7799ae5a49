package io.interlock.command.instance;

import io.interlock.command.gateway.BareId;
import io.interlock.instance.InstanceState;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import tools.jackson.databind.annotation.JsonSerialize;

/** What every instance command answers: the id, every state field, and the version. */
public record InstanceStatus(@JsonSerialize(using = BareId.class) String id, String tenant, String name, String flavor,
                             VmState vmState, TaskState taskState, String taskId, VmState previousVmState,
                             boolean locked, long version) {

    static InstanceStatus of(InstanceState state, long version) {
        return new InstanceStatus(state.instanceId(), state.tenant(), state.name(), state.flavor(), state.vmState(),
                state.taskState(), state.taskId(), state.previousVmState(), state.locked(), version);
    }
}
