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
import io.interlock.instance.InstanceState.TaskEnd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.interlock.instance.InstanceAction.*;
import static io.interlock.instance.VmState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceStateTest {

    private static final String ID = "i-1";
    private static final InstanceCreated CREATED = new InstanceCreated(ID, "acme", "web-1", "m1.small", "spawn");
    private static final InstanceTaskCompleted SPAWNED = new InstanceTaskCompleted(ID, CREATE, "spawn", ACTIVE);

    @Test
    void creationBuildsTheInstanceWithTheSpawnTaskRunning() {
        InstanceState state = fold(CREATED);

        assertEquals(ID, state.instanceId());
        assertEquals("acme", state.tenant());
        assertEquals("web-1", state.name());
        assertEquals("m1.small", state.flavor());
        assertEquals(BUILDING, state.vmState());
        assertEquals(TaskState.SPAWNING, state.taskState());
        assertEquals("spawn", state.taskId());
        assertEquals(CREATE, state.taskAction());
        assertEquals(ACTIVE, state.successVmState());
        assertEquals(ERROR, state.failureVmState());
        assertFalse(state.locked());
        assertTrue(state.endedTasks().isEmpty());
        assertEquals(state, InstanceState.evolve(InstanceState.NONE, CREATED), "a null state folds like NONE");
    }

    @Test
    void completingTheSpawnLandsWhereTheEventSaysAndRemembersTheTask() {
        InstanceState state = fold(CREATED, SPAWNED);

        assertEquals(ACTIVE, state.vmState());
        assertFalse(state.busy());
        assertNull(state.taskId());
        assertNull(state.taskAction());
        assertEquals(Map.of("spawn", TaskEnd.COMPLETED), state.endedTasks());
    }

    @Test
    void aStartedTaskRecordsWhereItIsHeadedWithoutMovingVmState() {
        InstanceState state = fold(CREATED, SPAWNED, started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE));

        assertEquals(ACTIVE, state.vmState(), "vmState moves when the task ends, not when it starts");
        assertEquals(TaskState.POWERING_OFF, state.taskState());
        assertEquals("t1", state.taskId());
        assertEquals(STOP, state.taskAction());
        assertEquals(STOPPED, state.successVmState());
        assertEquals(ACTIVE, state.failureVmState());
        assertEquals(Map.of("spawn", TaskEnd.COMPLETED), state.endedTasks(), "an idle start supersedes nothing");
    }

    @Test
    void startingATaskOverARunningOneRecordsTheOldOneAsSuperseded() {
        InstanceState state = fold(CREATED, SPAWNED,
                started(PAUSE, "t1", TaskState.PAUSING, PAUSED, ACTIVE),
                started(REBOOT_HARD, "t2", TaskState.REBOOTING_HARD, ACTIVE, ERROR));

        assertEquals(TaskState.REBOOTING_HARD, state.taskState());
        assertEquals("t2", state.taskId());
        assertEquals(TaskEnd.SUPERSEDED, state.endedTasks().get("t1"));
        assertFalse(state.endedTasks().containsKey("t2"));
    }

    @Test
    void completionLandsWhereTheEventSays() {
        InstanceState state = fold(CREATED, SPAWNED, started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE),
                new InstanceTaskCompleted(ID, STOP, "t1", STOPPED));

        assertEquals(STOPPED, state.vmState());
        assertFalse(state.busy());
        assertNull(state.successVmState());
        assertNull(state.failureVmState());
        assertEquals(TaskEnd.COMPLETED, state.endedTasks().get("t1"));
    }

    @Test
    void failureLandsWhereTheEventSaysAndIsRememberedAsFailed() {
        InstanceState state = fold(CREATED, SPAWNED, started(REBUILD, "t1", TaskState.REBUILDING, ACTIVE, ERROR),
                new InstanceTaskFailed(ID, REBUILD, "t1", ERROR, "image missing"));

        assertEquals(ERROR, state.vmState());
        assertFalse(state.busy());
        assertNull(state.taskId());
        assertEquals(TaskEnd.FAILED, state.endedTasks().get("t1"));
    }

    @Test
    void timeoutLandsWhereTheEventSaysAndIsRememberedAsTimedOut() {
        InstanceState state = fold(CREATED, SPAWNED, started(PAUSE, "t1", TaskState.PAUSING, PAUSED, ACTIVE),
                new InstanceTaskTimedOut(ID, PAUSE, "t1", ACTIVE, "PT10M"));

        assertEquals(ACTIVE, state.vmState());
        assertFalse(state.busy());
        assertEquals(TaskEnd.TIMED_OUT, state.endedTasks().get("t1"));
    }

    @Test
    void resetForcesVmStateAndEndsTheRunningTask() {
        InstanceState state = fold(CREATED, SPAWNED, started(DELETE, "t1", TaskState.DELETING, DELETED, ERROR),
                new InstanceStateReset(ID, ACTIVE, "t1"));

        assertEquals(ACTIVE, state.vmState());
        assertFalse(state.busy());
        assertNull(state.successVmState());
        assertEquals(TaskEnd.RESET, state.endedTasks().get("t1"));
    }

    @Test
    void resetOfAnIdleInstanceRemembersNoTask() {
        InstanceState before = fold(CREATED, SPAWNED);
        InstanceState state = InstanceState.evolve(before, new InstanceStateReset(ID, ERROR, null));

        assertEquals(ERROR, state.vmState());
        assertEquals(before.endedTasks(), state.endedTasks());
    }

    @Test
    void lockAndUnlockChangeOnlyTheLock() {
        InstanceState running = fold(CREATED, SPAWNED, started(PAUSE, "t1", TaskState.PAUSING, PAUSED, ACTIVE));

        InstanceState locked = InstanceState.evolve(running, new InstanceLocked(ID));
        assertTrue(locked.locked());
        assertEquals(running.taskId(), locked.taskId());
        assertEquals(running.taskState(), locked.taskState());
        assertEquals(running.vmState(), locked.vmState());

        InstanceState unlocked = InstanceState.evolve(locked, new InstanceUnlocked(ID));
        assertEquals(running, unlocked);
    }

    @Test
    void aLockSurvivesTasksStartingAndEnding() {
        InstanceState state = fold(CREATED, SPAWNED, new InstanceLocked(ID),
                started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE),
                new InstanceTaskCompleted(ID, STOP, "t1", STOPPED),
                new InstanceStateReset(ID, ACTIVE, null));

        assertTrue(state.locked());
    }

    @Test
    void resizeRemembersTheStateItStartedFromAndTheNewFlavor() {
        InstanceState started = fold(stoppedInstance(), resize("t2", "m1.large", ERROR));

        assertEquals(STOPPED, started.previousVmState());
        assertEquals("m1.large", started.pendingFlavor());
        assertEquals("m1.small", started.flavor(), "the flavor changes when the resize completes");

        InstanceState resized = InstanceState.evolve(started, new InstanceTaskCompleted(ID, RESIZE, "t2", RESIZED));
        assertEquals(RESIZED, resized.vmState());
        assertEquals("m1.large", resized.flavor());
        assertEquals("m1.small", resized.previousFlavor());
        assertEquals(STOPPED, resized.previousVmState());
        assertNull(resized.pendingFlavor());
    }

    @Test
    void confirmingAResizeKeepsTheNewFlavorAndForgetsThePreviousOne() {
        InstanceState confirming = InstanceState.evolve(resized(),
                started(CONFIRM_RESIZE, "t3", TaskState.RESIZE_CONFIRMING, STOPPED, ERROR));
        assertEquals(STOPPED, confirming.previousVmState(), "only resize itself records the state to return to");

        InstanceState confirmed = InstanceState.evolve(confirming,
                new InstanceTaskCompleted(ID, CONFIRM_RESIZE, "t3", STOPPED));
        assertEquals(STOPPED, confirmed.vmState());
        assertEquals("m1.large", confirmed.flavor());
        assertNull(confirmed.previousFlavor());
        assertNull(confirmed.previousVmState());
    }

    @Test
    void revertingAResizeRestoresTheOldFlavor() {
        InstanceState reverted = fold(resized(),
                started(REVERT_RESIZE, "t3", TaskState.RESIZE_REVERTING, STOPPED, ERROR),
                new InstanceTaskCompleted(ID, REVERT_RESIZE, "t3", STOPPED));

        assertEquals(STOPPED, reverted.vmState());
        assertEquals("m1.small", reverted.flavor());
        assertNull(reverted.previousFlavor());
        assertNull(reverted.previousVmState());
    }

    @Test
    void aFailedResizeKeepsTheOldFlavor() {
        InstanceState failed = fold(stoppedInstance(), resize("t2", "m1.large", ERROR),
                new InstanceTaskFailed(ID, RESIZE, "t2", ERROR, "no capacity"));

        assertEquals(ERROR, failed.vmState());
        assertEquals("m1.small", failed.flavor());
        assertNull(failed.previousFlavor());
        assertNull(failed.pendingFlavor());
    }

    @Test
    void endedTasksKeepsOnlyTheMostRecentOnes() {
        InstanceState state = fold(CREATED, SPAWNED);
        List<String> taskIds = new ArrayList<>(List.of("spawn"));
        for (int i = 1; i <= InstanceState.REMEMBERED_TASKS + 8; i++) {
            String taskId = "t" + i;
            taskIds.add(taskId);
            state = fold(state, started(REBOOT, taskId, TaskState.REBOOTING, ACTIVE, ACTIVE),
                    new InstanceTaskCompleted(ID, REBOOT, taskId, ACTIVE));
        }

        assertEquals(InstanceState.REMEMBERED_TASKS, state.endedTasks().size());
        int forgotten = taskIds.size() - InstanceState.REMEMBERED_TASKS;
        for (int i = 0; i < taskIds.size(); i++) {
            // A repeated report must be recognised for a recent task; only the oldest may turn stale.
            assertEquals(i >= forgotten, state.endedTasks().containsKey(taskIds.get(i)),
                    "remembered " + taskIds.get(i) + ": " + state.endedTasks().keySet());
        }
    }

    @Test
    void foldingNeverChangesAnEarlierState() {
        InstanceState running = fold(CREATED, SPAWNED, started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE));
        InstanceState copy = fold(CREATED, SPAWNED, started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE));

        InstanceState.evolve(running, new InstanceTaskCompleted(ID, STOP, "t1", STOPPED));

        assertEquals(copy, running, "the audit view folds to a point in time and must see it unchanged");
    }

    private static InstanceState resized() {
        return fold(stoppedInstance(), resize("t2", "m1.large", ERROR),
                new InstanceTaskCompleted(ID, RESIZE, "t2", RESIZED));
    }

    private static InstanceState stoppedInstance() {
        return fold(CREATED, SPAWNED, started(STOP, "t1", TaskState.POWERING_OFF, STOPPED, ACTIVE),
                new InstanceTaskCompleted(ID, STOP, "t1", STOPPED));
    }

    private static InstanceTaskStarted resize(String taskId, String flavor, VmState failure) {
        return new InstanceTaskStarted(ID, RESIZE, taskId, TaskState.RESIZE_PREP, RESIZED, failure, null,
                Map.of("flavor", flavor));
    }

    private static InstanceTaskStarted started(InstanceAction action, String taskId, TaskState task,
                                               VmState success, VmState failure) {
        return new InstanceTaskStarted(ID, action, taskId, task, success, failure, null, Map.of());
    }

    private static InstanceState fold(InstanceEvent... events) {
        return fold((InstanceState) null, events);
    }

    private static InstanceState fold(InstanceState state, InstanceEvent... events) {
        for (InstanceEvent event : events) {
            state = InstanceState.evolve(state, event);
        }
        return state;
    }
}
