package io.interlock.bench;

import io.interlock.instance.InstanceAction;

import java.util.List;

/**
 * One way of doing instance actions: through the command gateway, over HTTP, or as plain SQL. A
 * cycle is shelve, complete, unshelve, complete: four commands that leave the instance ACTIVE and
 * idle again, so every variant and every concurrency can reuse the same instances.
 */
interface InstanceCycle {

    /** Starts the action's task on an idle instance and answers the task id; throws unless accepted. */
    String start(String id, InstanceAction action) throws Exception;

    /** Reports the task as done; throws unless accepted. */
    void complete(String id, String taskId) throws Exception;

    /** A client that cycles through its own instances, one whole cycle per call. */
    default ClosedLoop.Client over(List<String> ids) {
        int[] next = {0};
        return timer -> {
            String id = ids.get(next[0]++ % ids.size());
            String shelving = timer.time(() -> start(id, InstanceAction.SHELVE));
            timer.time(() -> {
                complete(id, shelving);
                return null;
            });
            String unshelving = timer.time(() -> start(id, InstanceAction.UNSHELVE));
            timer.time(() -> {
                complete(id, unshelving);
                return null;
            });
        };
    }
}
