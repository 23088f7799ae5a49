package io.interlock.bench;

import io.interlock.command.support.Replica;
import io.interlock.instance.InstanceAction;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instance actions over HTTP, as alice (a member) starts them and the agent reports them, on a
 * keep-alive connection per client ({@link KeepAliveHttp}).
 */
record HttpCycle(Replica replica) implements InstanceCycle {

    private static final String ALICE = KeepAliveHttp.basic("alice", "alice-secret");
    private static final String AGENT = KeepAliveHttp.basic("agent", "agent-secret");
    private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"([^\"]+)\"");

    @Override
    public String start(String id, InstanceAction action) throws Exception {
        KeepAliveHttp.Answer answer = expect(KeepAliveHttp.post(replica.port(),
                "/v1/instances/" + id + "/actions/" + action.wireName(), ALICE, "{}"), 202);
        Matcher taskId = TASK_ID.matcher(answer.body());
        if (!taskId.find()) {
            throw new IllegalStateException(action.wireName() + " on " + id + " answered no task: " + answer.body());
        }
        return taskId.group(1);
    }

    @Override
    public void complete(String id, String taskId) throws Exception {
        expect(KeepAliveHttp.post(replica.port(), "/v1/instances/" + GatewayCycle.TENANT + ":" + id + "/tasks/" + taskId
                + "/complete", AGENT, null), 200);
    }

    private static KeepAliveHttp.Answer expect(KeepAliveHttp.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
        return answer;
    }
}
