package io.interlock.bench;

import io.interlock.command.support.Api;
import io.interlock.command.support.Replica;
import io.interlock.instance.InstanceAction;

/** Instance actions over HTTP, as alice (a member) starts them and the agent reports them. */
record HttpCycle(Replica replica) implements InstanceCycle {

    @Override
    public String start(String id, InstanceAction action) {
        return AllocationBenchmark.expect(Api.as("alice").post(replica,
                "/v1/instances/" + id + "/actions/" + action.wireName(), "{}"), 202).field("taskId");
    }

    @Override
    public void complete(String id, String taskId) {
        AllocationBenchmark.expect(Api.as("agent").post(replica, "/v1/instances/" + GatewayCycle.TENANT + ":" + id + "/tasks/" + taskId
                + "/complete"), 200);
    }
}
