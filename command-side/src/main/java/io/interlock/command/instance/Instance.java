package io.interlock.command.instance;

import io.interlock.command.instance.InstanceCommands.CompleteInstanceTask;
import io.interlock.command.instance.InstanceCommands.CreateInstance;
import io.interlock.command.instance.InstanceCommands.FailInstanceTask;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceEvent;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceStateReset;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceTaskFailed;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.InstanceEvents.InstanceTaskTimedOut;
import io.interlock.instance.InstanceEvents.InstanceUnlocked;
import io.interlock.instance.InstanceState;
import io.interlock.instance.InstanceState.TaskEnd;
import io.interlock.instance.InstanceTransition;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.VmState;
import io.interlock.command.gateway.Versions;
import io.interlock.lifecycle.Rejection;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A compute instance. Every decision is the transition table's; this class turns the table's "no"
 * into a typed rejection, starts tasks with their durable timeouts, and settles agent reports.
 */
@Aggregate(repository = "instanceRepository")
@SnapshottedByFields
public class Instance {

    static final String TIMEOUT = "instance-task-timeout";
    private static final Set<VmState> RESET_TARGETS = Set.of(VmState.ACTIVE, VmState.ERROR);

    @AggregateIdentifier
    private String instanceId;
    private InstanceState state;
    private long version;

    protected Instance() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Instance(CreateInstance command, InstanceTimeouts timeouts, DeadlineManager deadlines) {
        apply(new InstanceCreated(command.instanceId(), command.tenant(), command.name(), command.flavor(),
                command.taskId()));
        scheduleTimeout(deadlines, command.taskId(), timeouts.of(InstanceAction.CREATE));
    }

    @CommandHandler
    public InstanceStatus handle(RequestInstanceAction command, InstanceTimeouts timeouts, DeadlineManager deadlines,
                                 ConflictResolver conflicts) {
        visibleTo(command.tenantScope());
        Versions.rejectIfMovedOn(conflicts);
        InstanceAction action = command.action();
        InstanceTransitions.Verdict verdict = InstanceTransitions.check(state, action, command.privileged());
        if (!verdict.allowed()) {
            throw invalidState(action, verdict.refusal());
        }
        if (verdict.repeat()) {
            return status();
        }
        Map<String, String> parameters = command.parameters();
        switch (action) {
            case LOCK -> apply(new InstanceLocked(instanceId));
            case UNLOCK -> apply(new InstanceUnlocked(instanceId));
            case RESET_STATE -> apply(new InstanceStateReset(instanceId, resetTarget(parameters), state.taskId()));
            default -> {
                if (action == InstanceAction.EVACUATE && !"true".equals(parameters.get("hostDown"))) {
                    throw Rejection.validation(InstanceCommands.RESOURCE, instanceId, action.wireName(),
                            "evacuate is refused unless the caller asserts hostDown: true");
                }
                InstanceTransition row = InstanceTransitions.row(action);
                boolean offload = "true".equals(parameters.get("offload"));
                apply(new InstanceTaskStarted(instanceId, action, command.taskId(), row.task(),
                        row.success().resolve(state.vmState(), state.previousVmState(), offload),
                        row.failure().resolve(state.vmState(), state.previousVmState(), offload),
                        state.taskId(), parameters));
                scheduleTimeout(deadlines, command.taskId(), timeouts.of(action));
            }
        }
        return status();
    }

    @CommandHandler
    public InstanceStatus handle(CompleteInstanceTask command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        if (isCurrent(command.taskId(), TaskEnd.COMPLETED, "complete")) {
            apply(new InstanceTaskCompleted(instanceId, state.taskAction(), state.taskId(), state.successVmState()));
        }
        return status();
    }

    @CommandHandler
    public InstanceStatus handle(FailInstanceTask command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        if (isCurrent(command.taskId(), TaskEnd.FAILED, "fail")) {
            apply(new InstanceTaskFailed(instanceId, state.taskAction(), state.taskId(), state.failureVmState(),
                    command.reason()));
        }
        return status();
    }

    /** The task may still be timing out after it ended; only a current task is failed by it. */
    @DeadlineHandler(deadlineName = TIMEOUT)
    public void on(InstanceTaskDeadline deadline) {
        if (deadline.taskId().equals(state.taskId())) {
            apply(new InstanceTaskTimedOut(instanceId, state.taskAction(), state.taskId(), state.failureVmState(),
                    deadline.timeout()));
        }
    }

    @EventSourcingHandler
    void on(InstanceEvent event, @SequenceNumber long sequence) {
        instanceId = event.instanceId();
        state = InstanceState.evolve(state, event);
        version = sequence;
    }

    /**
     * True when the report is about the running task. A report that repeats how a task already
     * ended is answered without a new event; any other report is stale.
     */
    private boolean isCurrent(String taskId, TaskEnd outcome, String report) {
        if (taskId.equals(state.taskId())) {
            return true;
        }
        TaskEnd ended = state.endedTasks().get(taskId);
        if (ended == outcome) {
            return false;
        }
        throw new Rejection(Rejection.Reason.STALE_TASK, InstanceCommands.RESOURCE, instanceId, report, stateFields(), version, false,
                ended == null
                        ? "Task " + taskId + " is not the current task"
                        : "Task " + taskId + " already ended: " + ended);
    }

    private VmState resetTarget(Map<String, String> parameters) {
        String wanted = parameters.get("vmState");
        if (wanted == null || RESET_TARGETS.stream().noneMatch(s -> s.name().equals(wanted))) {
            throw Rejection.validation(InstanceCommands.RESOURCE, instanceId, InstanceAction.RESET_STATE.wireName(),
                    "reset-state needs vmState ACTIVE or ERROR");
        }
        return VmState.valueOf(wanted);
    }

    private void visibleTo(String tenantScope) {
        if (tenantScope != null && !tenantScope.equals(state.tenant())) {
            throw Rejection.notFound(InstanceCommands.RESOURCE, instanceId);
        }
    }

    private Rejection invalidState(InstanceAction action, String why) {
        // Waiting helps only when a task is running: it will end and free the instance.
        boolean retryable = state.busy() && !state.locked();
        return new Rejection(Rejection.Reason.INVALID_STATE, InstanceCommands.RESOURCE, instanceId, action.wireName(), stateFields(),
                version, retryable, action.wireName() + " is not allowed: " + why);
    }

    private Map<String, Object> stateFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("vmState", state.vmState());
        fields.put("taskState", state.taskState());
        fields.put("taskId", state.taskId());
        fields.put("locked", state.locked());
        fields.put("previousVmState", state.previousVmState());
        if (state.locked()) {
            fields.put("reason", "locked");
        }
        return fields;
    }

    private InstanceStatus status() {
        return InstanceStatus.of(state, version);
    }

    private static void scheduleTimeout(DeadlineManager deadlines, String taskId, Duration timeout) {
        deadlines.schedule(timeout, TIMEOUT, new InstanceTaskDeadline(taskId, timeout.toString()));
    }
}
