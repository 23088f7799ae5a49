package io.interlock.instance;

import java.util.Set;

/**
 * One row of the instance table.
 *
 * @param from            vmStates the action may start from
 * @param runsDuring      tasks that may be running when the action starts; empty means idle only
 * @param supersedes      whether a running task is superseded (its later reports become stale)
 * @param task            the task the action sets; null for immediate actions
 * @param success         where the task leaves vmState when it completes
 * @param failure         where it leaves vmState when it fails or times out
 * @param adminOnly       only an admin may ask for it
 * @param rememberPrevious the action records the vmState to return to (resize)
 * @param repeatWhile     a repeat while this task runs is accepted and adds nothing (delete)
 */
public record InstanceTransition(
        InstanceAction action,
        Set<VmState> from,
        Set<TaskState> runsDuring,
        boolean supersedes,
        TaskState task,
        Landing success,
        Landing failure,
        boolean adminOnly,
        boolean rememberPrevious,
        TaskState repeatWhile) {

    public boolean immediate() {
        return task == null;
    }
}
