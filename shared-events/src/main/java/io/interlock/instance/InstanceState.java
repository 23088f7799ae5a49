package io.interlock.instance;

import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceEvent;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceStateReset;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceTaskFailed;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.InstanceEvents.InstanceTaskTimedOut;
import io.interlock.instance.InstanceEvents.InstanceUnlocked;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An instance's state, and the one pure fold that produces it. The aggregate, the projection and
 * the audit "state as of" view all call {@link #evolve}, so they cannot disagree.
 *
 * @param endedTasks how recent tasks ended, so a repeated report can be told from a stale one
 */
public record InstanceState(
        String instanceId,
        String tenant,
        String name,
        String flavor,
        VmState vmState,
        TaskState taskState,
        String taskId,
        InstanceAction taskAction,
        VmState successVmState,
        VmState failureVmState,
        VmState previousVmState,
        String previousFlavor,
        String pendingFlavor,
        boolean locked,
        Map<String, TaskEnd> endedTasks) {

    /** How many ended tasks are remembered; older reports are simply stale. */
    static final int REMEMBERED_TASKS = 32;

    public enum TaskEnd { COMPLETED, FAILED, TIMED_OUT, SUPERSEDED, RESET }

    public static final InstanceState NONE = new InstanceState(null, null, null, null, null, null, null, null,
            null, null, null, null, null, false, Map.of());

    public boolean busy() {
        return taskState != null;
    }

    public static InstanceState evolve(InstanceState state, InstanceEvent event) {
        InstanceState s = state == null ? NONE : state;
        if (event instanceof InstanceCreated e) {
            return new InstanceState(e.instanceId(), e.tenant(), e.name(), e.flavor(), VmState.BUILDING,
                    TaskState.SPAWNING, e.taskId(), InstanceAction.CREATE, VmState.ACTIVE, VmState.ERROR, null, null,
                    null, false, Map.of());
        }
        if (event instanceof InstanceTaskStarted e) {
            Map<String, TaskEnd> ended = s.taskId == null ? s.endedTasks : remember(s.endedTasks, s.taskId, TaskEnd.SUPERSEDED);
            boolean remember = InstanceTransitions.row(e.action()).rememberPrevious();
            return new InstanceState(s.instanceId, s.tenant, s.name, s.flavor, s.vmState, e.taskState(),
                    e.taskId(), e.action(), e.successVmState(), e.failureVmState(),
                    remember ? s.vmState : s.previousVmState, s.previousFlavor,
                    remember ? e.parameters().get("flavor") : s.pendingFlavor, s.locked, ended);
        }
        if (event instanceof InstanceTaskCompleted e) {
            return completed(s, e);
        }
        if (event instanceof InstanceTaskFailed e) {
            return ended(s, e.vmState(), TaskEnd.FAILED);
        }
        if (event instanceof InstanceTaskTimedOut e) {
            return ended(s, e.vmState(), TaskEnd.TIMED_OUT);
        }
        if (event instanceof InstanceLocked) {
            return s.withLocked(true);
        }
        if (event instanceof InstanceUnlocked) {
            return s.withLocked(false);
        }
        if (event instanceof InstanceStateReset e) {
            return ended(s, e.vmState(), TaskEnd.RESET);
        }
        throw new IllegalArgumentException("Not an instance event: " + event);
    }

    private static InstanceState completed(InstanceState s, InstanceTaskCompleted e) {
        String flavor = s.flavor;
        String previousFlavor = s.previousFlavor;
        VmState previousVmState = s.previousVmState;
        switch (e.action()) {
            case RESIZE -> {
                previousFlavor = s.flavor;
                flavor = s.pendingFlavor == null ? s.flavor : s.pendingFlavor;
            }
            case REVERT_RESIZE -> {
                flavor = s.previousFlavor == null ? s.flavor : s.previousFlavor;
                previousFlavor = null;
                previousVmState = null;
            }
            case CONFIRM_RESIZE -> {
                previousFlavor = null;
                previousVmState = null;
            }
            default -> {
            }
        }
        return new InstanceState(s.instanceId, s.tenant, s.name, flavor, e.vmState(), null, null, null, null, null,
                previousVmState, previousFlavor, null, s.locked, remember(s.endedTasks, e.taskId(), TaskEnd.COMPLETED));
    }

    private static InstanceState ended(InstanceState s, VmState vmState, TaskEnd how) {
        Map<String, TaskEnd> ended = s.taskId == null ? s.endedTasks : remember(s.endedTasks, s.taskId, how);
        return new InstanceState(s.instanceId, s.tenant, s.name, s.flavor, vmState, null, null, null, null, null,
                s.previousVmState, s.previousFlavor, null, s.locked, ended);
    }

    private InstanceState withLocked(boolean locked) {
        return new InstanceState(instanceId, tenant, name, flavor, vmState, taskState, taskId, taskAction,
                successVmState, failureVmState, previousVmState, previousFlavor, pendingFlavor, locked, endedTasks);
    }

    private static Map<String, TaskEnd> remember(Map<String, TaskEnd> ended, String taskId, TaskEnd how) {
        LinkedHashMap<String, TaskEnd> next = new LinkedHashMap<>(ended);
        next.put(taskId, how);
        while (next.size() > REMEMBERED_TASKS) {
            next.remove(next.keySet().iterator().next());
        }
        // Keep insertion order: Map.copyOf iterates in a per-JVM random order, which would evict an
        // arbitrary task instead of the oldest, differently on each replica replaying the events.
        return Collections.unmodifiableMap(next);
    }
}
