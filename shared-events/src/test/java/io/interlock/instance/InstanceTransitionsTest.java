package io.interlock.instance;

import io.interlock.instance.InstanceTransitions.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.interlock.instance.InstanceAction.*;
import static io.interlock.instance.VmState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceTransitionsTest {

    /** Every combination of vmState, task (or none) and lock: more than real instances reach. */
    private static final List<InstanceState> SAMPLES = samples();

    @ParameterizedTest
    @EnumSource(InstanceAction.class)
    void everyActionHasItsOwnRow(InstanceAction action) {
        InstanceTransition row = InstanceTransitions.row(action);
        assertNotNull(row, action + " has no row");
        assertEquals(action, row.action());
    }

    @Test
    void createIsRefusedOnAnExistingInstance() {
        assertFalse(InstanceTransitions.check(state(ACTIVE, null, false), CREATE, true).allowed());
    }

    /**
     * "One operation at a time" read straight off the row: an action may start from its vmStates when the
     * instance is idle, or while a task the row names is running; a repeat is accepted while the
     * row's repeat task runs.
     */
    @ParameterizedTest
    @MethodSource("existingInstanceActions")
    void checkFollowsTheRowInEveryState(InstanceAction action) {
        InstanceTransition row = InstanceTransitions.row(action);
        for (InstanceState state : SAMPLES) {
            if (state.locked()) {
                continue;
            }
            TaskState task = state.taskState();
            boolean repeat = task != null && task == row.repeatWhile()
                    || action == UNLOCK && row.from().contains(state.vmState());
            boolean allowed = repeat
                    || row.from().contains(state.vmState()) && (task == null || row.runsDuring().contains(task));

            Verdict admin = InstanceTransitions.check(state, action, true);
            assertEquals(allowed, admin.allowed(), () -> action + " from " + describe(state) + ": " + admin);
            assertEquals(repeat, admin.repeat(), () -> action + " from " + describe(state) + ": " + admin);

            Verdict user = InstanceTransitions.check(state, action, false);
            assertEquals(allowed && !row.adminOnly(), user.allowed(), () -> action + " from " + describe(state));
        }
    }

    @ParameterizedTest
    @EnumSource(InstanceAction.class)
    void allowedActionsAgreesWithCheck(InstanceAction action) {
        for (InstanceState state : SAMPLES) {
            boolean listed = InstanceTransitions.allowedActions(state).contains(action.wireName());
            Verdict verdict = InstanceTransitions.check(state, action, false);
            assertEquals(verdict.allowed() && !verdict.repeat(), listed,
                    () -> action.wireName() + " in allowedActions of " + describe(state));
        }
    }

    @ParameterizedTest
    @MethodSource("actionsALockBlocks")
    void aLockStopsACallerWhoIsNotAnAdmin(InstanceAction action) {
        InstanceState unlocked = state(InstanceTransitions.row(action).from().iterator().next(), null, false);
        InstanceState locked = state(unlocked.vmState(), null, true);

        assertTrue(InstanceTransitions.check(unlocked, action, false).allowed(), "the sample state allows it");
        Verdict refused = InstanceTransitions.check(locked, action, false);
        assertFalse(refused.allowed());
        assertEquals("locked", refused.refusal());
        assertTrue(InstanceTransitions.check(locked, action, true).allowed(), "an admin is not stopped by a lock");
        assertFalse(InstanceTransitions.allowedActions(locked).contains(action.wireName()));
    }

    @Test
    void lockingALockedInstanceIsARepeatForAnyone() {
        InstanceState locked = state(ACTIVE, null, true);

        Verdict member = InstanceTransitions.check(locked, LOCK, false);

        assertTrue(member.allowed());
        assertTrue(member.repeat());
        assertTrue(InstanceTransitions.check(state(ACTIVE, null, false), UNLOCK, false).repeat());
        assertFalse(InstanceTransitions.check(state(ACTIVE, null, false), LOCK, false).repeat());
    }

    @Test
    void anyoneMayUnlock() {
        for (VmState vmState : InstanceTransitions.row(UNLOCK).from()) {
            InstanceState locked = state(vmState, null, true);
            assertTrue(InstanceTransitions.check(locked, UNLOCK, false).allowed(), vmState.name());
            assertEquals(List.of("unlock"), InstanceTransitions.allowedActions(locked), vmState.name());
        }
    }

    @Test
    void resetStateIsTheOnlyAdminOnlyAction() {
        List<InstanceAction> adminOnly = InstanceTransitions.rows().stream()
                .filter(InstanceTransition::adminOnly).map(InstanceTransition::action).toList();
        assertEquals(List.of(RESET_STATE), adminOnly);

        InstanceState busy = state(ACTIVE, TaskState.REBUILDING, false);
        Verdict user = InstanceTransitions.check(busy, RESET_STATE, false);
        assertFalse(user.allowed());
        assertEquals("only an admin may reset-state", user.refusal());
        assertTrue(InstanceTransitions.check(busy, RESET_STATE, true).allowed());
        assertTrue(InstanceTransitions.check(state(ERROR, null, true), RESET_STATE, true).allowed());
        for (InstanceState state : SAMPLES) {
            assertFalse(InstanceTransitions.allowedActions(state).contains("reset-state"), describe(state));
        }
    }

    @Test
    void deleteRepeatedWhileDeletingIsARepeat() {
        Verdict verdict = InstanceTransitions.check(state(ACTIVE, TaskState.DELETING, false), DELETE, false);
        assertTrue(verdict.allowed());
        assertTrue(verdict.repeat(), "a repeat adds nothing");

        Verdict superseding = InstanceTransitions.check(state(ACTIVE, TaskState.SOFT_DELETING, false), DELETE, false);
        assertTrue(superseding.allowed());
        assertFalse(superseding.repeat(), "delete supersedes any other task");
    }

    @Test
    void softDeleteIsNotStartedTwice() {
        Verdict verdict = InstanceTransitions.check(state(ACTIVE, TaskState.SOFT_DELETING, false), SOFT_DELETE, false);
        assertFalse(verdict.allowed());
        assertFalse(verdict.repeat());
    }

    @Test
    void hardRebootMayRunDuringPausingButShelveMayNot() {
        InstanceState pausing = state(ACTIVE, TaskState.PAUSING, false);

        Verdict hard = InstanceTransitions.check(pausing, REBOOT_HARD, false);
        assertTrue(hard.allowed());
        assertFalse(hard.repeat());
        assertTrue(InstanceTransitions.row(REBOOT_HARD).supersedes(), "the pause it interrupts is superseded");

        Verdict shelve = InstanceTransitions.check(pausing, SHELVE, false);
        assertFalse(shelve.allowed());
        assertEquals("task PAUSING is running", shelve.refusal());

        List<String> allowed = InstanceTransitions.allowedActions(pausing);
        assertTrue(allowed.contains("reboot-hard"), allowed::toString);
        assertFalse(allowed.contains("shelve"), allowed::toString);
        assertFalse(allowed.contains("reboot"), "a soft reboot waits like everything else");
    }

    @Test
    void deletedAllowsNothing() {
        for (InstanceAction action : InstanceAction.values()) {
            assertFalse(InstanceTransitions.check(state(DELETED, null, false), action, true).allowed(), action.name());
        }
    }

    static Stream<InstanceAction> existingInstanceActions() {
        return Arrays.stream(InstanceAction.values()).filter(action -> action != CREATE);
    }

    /** Everything but create, unlock, and what only an admin may do anyway. */
    static Stream<InstanceAction> actionsALockBlocks() {
        return existingInstanceActions().filter(action -> action != UNLOCK && action != LOCK)
                .filter(action -> !InstanceTransitions.row(action).adminOnly());
    }

    private static List<InstanceState> samples() {
        List<InstanceState> samples = new ArrayList<>();
        for (VmState vmState : VmState.values()) {
            for (boolean locked : new boolean[] {false, true}) {
                samples.add(state(vmState, null, locked));
                for (TaskState task : TaskState.values()) {
                    samples.add(state(vmState, task, locked));
                }
            }
        }
        return List.copyOf(samples);
    }

    private static InstanceState state(VmState vmState, TaskState task, boolean locked) {
        return new InstanceState("i-1", "acme", "web-1", "m1.small", vmState, task, task == null ? null : "t1",
                null, null, null, null, null, null, locked, Map.of());
    }

    private static String describe(InstanceState state) {
        return state.vmState() + (state.taskState() == null ? "" : "/" + state.taskState())
                + (state.locked() ? " locked" : "");
    }
}
