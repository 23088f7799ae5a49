package io.interlock.instance;

import java.util.Map;

/**
 * What happened to instances. Each event carries the ids, the resulting state and the reason a
 * reader of the audit trail needs; who asked travels in the event's metadata.
 */
public final class InstanceEvents {

    private InstanceEvents() {
    }

    /** Every instance event; the fold in {@link InstanceState} accepts exactly these. */
    public sealed interface InstanceEvent permits InstanceCreated, InstanceTaskStarted, InstanceTaskCompleted,
            InstanceTaskFailed, InstanceTaskTimedOut, InstanceLocked, InstanceUnlocked, InstanceStateReset {
        String instanceId();
    }

    /** Creation also starts the SPAWNING task that the agent reports on. */
    public record InstanceCreated(String instanceId, String tenant, String name, String flavor, String taskId)
            implements InstanceEvent {
    }

    /**
     * A task began. {@code successVmState} and {@code failureVmState} are resolved from the table
     * when the task starts, so the audit trail shows where it was headed.
     */
    public record InstanceTaskStarted(String instanceId, InstanceAction action, String taskId, TaskState taskState,
                                      VmState successVmState, VmState failureVmState, String supersededTaskId,
                                      Map<String, String> parameters) implements InstanceEvent {
    }

    public record InstanceTaskCompleted(String instanceId, InstanceAction action, String taskId, VmState vmState)
            implements InstanceEvent {
    }

    public record InstanceTaskFailed(String instanceId, InstanceAction action, String taskId, VmState vmState,
                                     String reason) implements InstanceEvent {
    }

    /** The durable deadline fired while the task was still current. */
    public record InstanceTaskTimedOut(String instanceId, InstanceAction action, String taskId, VmState vmState,
                                       String timeout) implements InstanceEvent {
    }

    public record InstanceLocked(String instanceId) implements InstanceEvent {
    }

    public record InstanceUnlocked(String instanceId) implements InstanceEvent {
    }

    /** An admin forced the vmState and cleared whatever task was running. */
    public record InstanceStateReset(String instanceId, VmState vmState, String clearedTaskId)
            implements InstanceEvent {
    }
}
