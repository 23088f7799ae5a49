package io.interlock.bench;

import io.interlock.lifecycle.TenantIds;
import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.instance.InstanceCommands.CompleteInstanceTask;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.command.instance.InstanceStatus;
import io.interlock.instance.InstanceAction;

import java.util.Map;
import java.util.UUID;

/**
 * Instance actions sent in-process through the command side's own dispatcher (the command gateway
 * with its retry on a lost append race), as the commands the HTTP controller builds for a member
 * of {@link #TENANT} and for the agent: the service minus HTTP, JSON and security.
 */
record GatewayCycle(CommandDispatcher commands) implements InstanceCycle {

    /** alice's tenant, so HTTP (as alice) and in-process act on the same instances with the same check. */
    static final String TENANT = "acme";

    @Override
    public String start(String id, InstanceAction action) {
        String taskId = UUID.randomUUID().toString();
        // what the controller puts in for a shelve with an empty body
        Map<String, String> parameters = action == InstanceAction.SHELVE ? Map.of("offload", "false") : Map.of();
        InstanceStatus status = commands.send(new RequestInstanceAction(TenantIds.qualify(TENANT, id), action, taskId, parameters, TENANT,
                false, null));
        if (!taskId.equals(status.taskId())) {
            throw new IllegalStateException(action.wireName() + " on " + id + " did not start its task: " + status);
        }
        return taskId;
    }

    @Override
    public void complete(String id, String taskId) {
        InstanceStatus status = commands.send(new CompleteInstanceTask(TenantIds.qualify(TENANT, id), taskId, null,
                null));
        if (status.taskId() != null) {
            throw new IllegalStateException("complete on " + id + " left a task running: " + status);
        }
    }
}
