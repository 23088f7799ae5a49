package io.interlock.command.instance;

import io.interlock.command.instance.InstanceCommands.CompleteInstanceTask;
import io.interlock.command.instance.InstanceCommands.CreateInstance;
import io.interlock.command.instance.InstanceCommands.FailInstanceTask;
import io.interlock.command.instance.InstanceCommands.RequestInstanceAction;
import io.interlock.instance.InstanceAction;
import io.interlock.instance.InstanceEvents.InstanceCreated;
import io.interlock.instance.InstanceEvents.InstanceLocked;
import io.interlock.instance.InstanceEvents.InstanceStateReset;
import io.interlock.instance.InstanceEvents.InstanceTaskCompleted;
import io.interlock.instance.InstanceEvents.InstanceTaskFailed;
import io.interlock.instance.InstanceEvents.InstanceTaskStarted;
import io.interlock.instance.InstanceEvents.InstanceTaskTimedOut;
import io.interlock.instance.InstanceEvents.InstanceUnlocked;
import io.interlock.instance.InstanceTransition;
import io.interlock.instance.InstanceTransitions;
import io.interlock.instance.TaskState;
import io.interlock.instance.VmState;
import io.interlock.lifecycle.Rejection;
import io.interlock.lifecycle.Rejection.Reason;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.interlock.instance.InstanceAction.*;
import static io.interlock.instance.VmState.*;
import static org.hamcrest.Matchers.instanceOf;

/**
 * The instance aggregate against the lifecycle contract and its table.1. The first nested class walks every row of
 * {@link InstanceTransitions}, so a row added to the table is tested without touching this file;
 * the rest pin the landings, reports, timeouts and races that the table alone cannot express.
 */
class InstanceTest {

    static final String ID = "vm-1";
    static final String TENANT = "acme";
    static final String SPAWN = "task-spawn";
    /** The task a test's own command starts. */
    static final String TASK = "task-new";
    /** A task that is already running when the test's command arrives. */
    static final String BUSY = "task-busy";

    // Distinct per-action timeouts let a test fire one task's deadline and not another's.
    static final InstanceTimeouts TIMEOUTS = new InstanceTimeouts(Duration.ofMinutes(10),
            Map.of("shelve", Duration.ofMinutes(3), "pause", Duration.ofMinutes(2)));

    FixtureConfiguration<Instance> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Instance.class);
        fixture.registerInjectableResource(TIMEOUTS);
    }

    // ---------------------------------------------------------------------------------------
    // The table, row by row
    // ---------------------------------------------------------------------------------------

    @Nested
    class EveryRowOfTheTable {

        /** (row, vmState) for every vmState the row allows. */
        static Stream<Arguments> allowedStarts() {
            return actionRows().flatMap(row -> row.from().stream().map(vm -> Arguments.of(row.action(), vm)));
        }

        static Stream<Arguments> allowedTaskStarts() {
            return allowedStarts().filter(args -> !InstanceTransitions.row((InstanceAction) args.get()[0]).immediate());
        }

        /** (row, vmState) for every vmState the row does not allow. */
        static Stream<Arguments> forbiddenStarts() {
            return actionRows().flatMap(row -> EnumSet.allOf(VmState.class).stream()
                    .filter(vm -> !row.from().contains(vm))
                    .map(vm -> Arguments.of(row.action(), vm)));
        }

        /** (row, task) for every running task the row may start during, apart from a harmless repeat. */
        static Stream<Arguments> allowedDuringTasks() {
            return actionRows().flatMap(row -> row.runsDuring().stream()
                    .filter(task -> task != row.repeatWhile())
                    .map(task -> Arguments.of(row.action(), task)));
        }

        /** (row, task) for every running task that blocks the row. */
        static Stream<Arguments> blockingTasks() {
            return actionRows().flatMap(row -> EnumSet.allOf(TaskState.class).stream()
                    .filter(task -> !row.runsDuring().contains(task) && task != row.repeatWhile())
                    .map(task -> Arguments.of(row.action(), task)));
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("allowedStarts")
        void rowIsAllowedFromEachOfItsVmStates(InstanceAction action, VmState from) {
            InstanceTransition row = InstanceTransitions.row(action);
            var result = fixture.given(idleIn(from, action == UNLOCK))
                    .when(callerFor(action).ask(action))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expectedStart(row, from, null));
            if (row.immediate()) {
                result.expectNoScheduledDeadlines();
            } else {
                Duration timeout = TIMEOUTS.of(action);
                result.expectScheduledDeadline(timeout, new InstanceTaskDeadline(TASK, timeout.toString()));
            }
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("forbiddenStarts")
        void rowIsRejectedFromVmStatesItDoesNotList(InstanceAction action, VmState from) {
            fixture.given(idleIn(from, action == UNLOCK))
                    .when(callerFor(action).ask(action))
                    .expectException(rejected(Reason.INVALID_STATE).withState("vmState", from).retryable(false))
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }

        @ParameterizedTest(name = "{0} during {1}")
        @MethodSource("allowedDuringTasks")
        void rowRunsDuringTheTasksItNamesAndSupersedesThem(InstanceAction action, TaskState running) {
            InstanceTransition row = InstanceTransitions.row(action);
            VmState from = representativeFrom(row);
            fixture.given(busyIn(from, running, action == UNLOCK))
                    .when(callerFor(action).ask(action))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(expectedStart(row, from, BUSY));
        }

        @ParameterizedTest(name = "{0} during {1}")
        @MethodSource("blockingTasks")
        void rowIsRejectedWhileAnotherTaskRuns(InstanceAction action, TaskState running) {
            InstanceTransition row = InstanceTransitions.row(action);
            // The vmState is one the row allows, so only the running task can be the reason.
            VmState from = representativeFrom(row);
            fixture.given(busyIn(from, running, action == UNLOCK))
                    .when(callerFor(action).ask(action))
                    .expectException(rejected(Reason.INVALID_STATE).withState("taskState", running)
                            .withState("taskId", BUSY).retryable(true))
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("allowedTaskStarts")
        void completingTheTaskLandsOnTheRowsSuccessState(InstanceAction action, VmState from) {
            InstanceTransition row = InstanceTransitions.row(action);
            fixture.given(idleIn(from, false))
                    .andGivenCommands(callerFor(action).ask(action))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, action, TASK,
                            row.success().resolve(from, null, false)));
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("allowedTaskStarts")
        void failingTheTaskLandsOnTheRowsFailureState(InstanceAction action, VmState from) {
            InstanceTransition row = InstanceTransitions.row(action);
            fixture.given(idleIn(from, false))
                    .andGivenCommands(callerFor(action).ask(action))
                    .when(fail(TASK, "agent gave up"))
                    .expectEvents(new InstanceTaskFailed(ID, action, TASK,
                            row.failure().resolve(from, null, false), "agent gave up"));
        }

        // reset-state is left out: a member may never ask for it, locked or not; locking again is a
        // repeat, answered without an event (lockingALockedInstanceAddsNothing)
        @ParameterizedTest
        @EnumSource(value = InstanceAction.class, mode = EnumSource.Mode.EXCLUDE,
                names = {"CREATE", "UNLOCK", "LOCK", "RESET_STATE"})
        void everyMemberActionButUnlockIsRejectedWhileLocked(InstanceAction action) {
            VmState from = representativeFrom(InstanceTransitions.row(action));
            fixture.given(idleIn(from, true))
                    .when(member().ask(action))
                    .expectException(rejected(Reason.INVALID_STATE).withState("reason", "locked")
                            .withState("locked", true).retryable(false))
                    .expectNoEvents();
        }

        /**
         * What the row must emit when {@code action} starts from {@code from}; {@code running} is the
         * task it finds, which a task row supersedes and reset-state clears.
         */
        private Object expectedStart(InstanceTransition row, VmState from, String running) {
            return switch (row.action()) {
                case LOCK -> new InstanceLocked(ID);
                case UNLOCK -> new InstanceUnlocked(ID);
                case RESET_STATE -> new InstanceStateReset(ID, ERROR, running);
                default -> new InstanceTaskStarted(ID, row.action(), TASK, row.task(),
                        row.success().resolve(from, null, false), row.failure().resolve(from, null, false),
                        running, parametersFor(row.action()));
            };
        }

        private static Stream<InstanceTransition> actionRows() {
            return InstanceTransitions.rows().stream().filter(row -> row.action() != CREATE);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Create, complete, fail: the landings the instance table spells out
    // ---------------------------------------------------------------------------------------

    @Nested
    class Landings {

        @Test
        void createStartsTheSpawnTaskWithItsTimeout() {
            fixture.givenNoPriorActivity()
                    .when(create())
                    .expectEvents(new InstanceCreated(ID, TENANT, "web-1", "m1.small", SPAWN))
                    .expectScheduledDeadline(Duration.ofMinutes(10), new InstanceTaskDeadline(SPAWN, "PT10M"));
        }

        @Test
        void aCompletedSpawnMakesTheInstanceActive() {
            fixture.givenCommands(create())
                    .when(complete(SPAWN))
                    .expectEvents(new InstanceTaskCompleted(ID, CREATE, SPAWN, ACTIVE))
                    .expectResultMessagePayloadMatching(status(s -> s.vmState() == ACTIVE && s.taskState() == null
                            && s.taskId() == null && s.version() == 1));
        }

        @Test
        void aFailedSpawnPutsTheInstanceInError() {
            fixture.givenCommands(create())
                    .when(fail(SPAWN, "no capacity"))
                    .expectEvents(new InstanceTaskFailed(ID, CREATE, SPAWN, ERROR, "no capacity"));
        }

        @Test
        void aResizeLandsInResizedAndKeepsTheStateToReturnTo() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(RESIZE, TASK, Map.of("flavor", "m1.large")))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, RESIZE, TASK, RESIZED))
                    .expectResultMessagePayloadMatching(status(s -> s.vmState() == RESIZED
                            && s.previousVmState() == ACTIVE && "m1.large".equals(s.flavor())));
        }

        @Test
        void confirmingAResizeFromActiveReturnsToActive() {
            fixture.givenCommands(resized(active()))
                    .andGivenCommands(member().ask(CONFIRM_RESIZE, "task-confirm", Map.of()))
                    .when(complete("task-confirm"))
                    .expectEvents(new InstanceTaskCompleted(ID, CONFIRM_RESIZE, "task-confirm", ACTIVE))
                    .expectResultMessagePayloadMatching(status(s -> s.previousVmState() == null
                            && "m1.large".equals(s.flavor())));
        }

        @Test
        void revertingAResizeFromStoppedIsHeadedBackToStopped() {
            fixture.givenCommands(resized(stopped()))
                    .when(member().ask(REVERT_RESIZE, "task-revert", Map.of()))
                    .expectEvents(new InstanceTaskStarted(ID, REVERT_RESIZE, "task-revert",
                            TaskState.RESIZE_REVERTING, STOPPED, ERROR, null, Map.of()));
        }

        @Test
        void revertingAResizeFromStoppedReturnsToStoppedWithTheOldFlavor() {
            fixture.givenCommands(resized(stopped()))
                    .andGivenCommands(member().ask(REVERT_RESIZE, "task-revert", Map.of()))
                    .when(complete("task-revert"))
                    .expectEvents(new InstanceTaskCompleted(ID, REVERT_RESIZE, "task-revert", STOPPED))
                    .expectResultMessagePayloadMatching(status(s -> s.vmState() == STOPPED
                            && s.previousVmState() == null && "m1.small".equals(s.flavor())));
        }

        @Test
        void aFailedResizeGoesToError() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(RESIZE, TASK, Map.of("flavor", "m1.large")))
                    .when(fail(TASK, "no room on host"))
                    .expectEvents(new InstanceTaskFailed(ID, RESIZE, TASK, ERROR, "no room on host"));
        }

        @Test
        void aRebuildOfAStoppedInstanceStaysStopped() {
            fixture.givenCommands(stopped())
                    .andGivenCommands(member().ask(REBUILD, TASK, Map.of()))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, REBUILD, TASK, STOPPED));
        }

        @Test
        void aRebuildOfAnInstanceInErrorBecomesActive() {
            fixture.given(idleIn(ERROR, false))
                    .andGivenCommands(member().ask(REBUILD, TASK, Map.of()))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, REBUILD, TASK, ACTIVE));
        }

        @Test
        void anEvacuatedStoppedInstanceStaysStopped() {
            fixture.givenCommands(stopped())
                    .andGivenCommands(member().ask(EVACUATE, TASK, Map.of("hostDown", "true")))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, EVACUATE, TASK, STOPPED));
        }

        @Test
        void shelveWithOffloadLandsInShelvedOffloaded() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, TASK, Map.of("offload", "true")))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, SHELVE, TASK, SHELVED_OFFLOADED));
        }

        @Test
        void shelveWithoutOffloadLandsInShelved() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, SHELVE, TASK, SHELVED));
        }

        @Test
        void aFailedShelveLeavesTheVmStateAsItWas() {
            fixture.given(idleIn(PAUSED, false))
                    .andGivenCommands(member().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .when(fail(TASK, "image service down"))
                    .expectEvents(new InstanceTaskFailed(ID, SHELVE, TASK, PAUSED, "image service down"));
        }

        @Test
        void aHardRebootOfAPausedInstanceMakesItActive() {
            fixture.given(idleIn(PAUSED, false))
                    .andGivenCommands(member().ask(REBOOT_HARD, TASK, Map.of()))
                    .when(complete(TASK))
                    .expectEvents(new InstanceTaskCompleted(ID, REBOOT_HARD, TASK, ACTIVE));
        }

        @Test
        void aFailedHardRebootGoesToError() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(REBOOT_HARD, TASK, Map.of()))
                    .when(fail(TASK, "hypervisor refused"))
                    .expectEvents(new InstanceTaskFailed(ID, REBOOT_HARD, TASK, ERROR, "hypervisor refused"));
        }

        @Test
        void shelveIsRejectedWhileAnotherTaskRuns() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, "task-first", Map.of("offload", "false")))
                    .when(member().ask(SHELVE, "task-second", Map.of("offload", "false")))
                    .expectException(rejected(Reason.INVALID_STATE).withState("taskState", TaskState.SHELVING)
                            .withState("taskId", "task-first").retryable(true))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Agent reports: task tokens, stale and repeated reports
    // ---------------------------------------------------------------------------------------

    @Nested
    class AgentReports {

        @Test
        void aReportForAnUnknownTaskIsStale() {
            fixture.givenCommands(active())
                    .when(complete("task-never-started"))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @Test
        void aRepeatedCompletionIsAnsweredWithoutANewEvent() {
            fixture.givenCommands(active())
                    .when(complete(SPAWN))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(status(s -> s.vmState() == ACTIVE && s.version() == 1));
        }

        @Test
        void aRepeatedFailureIsAnsweredWithoutANewEvent() {
            fixture.givenCommands(create(), fail(SPAWN, "no capacity"))
                    .when(fail(SPAWN, "no capacity"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void failingATaskThatAlreadyCompletedIsStale() {
            fixture.givenCommands(active())
                    .when(fail(SPAWN, "late"))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @Test
        void completingATaskThatTimedOutIsStale() {
            fixture.given(new InstanceCreated(ID, TENANT, "web-1", "m1.small", SPAWN),
                            new InstanceTaskTimedOut(ID, CREATE, SPAWN, ERROR, "PT10M"))
                    .when(complete(SPAWN))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        /**
         * The instance remembers how its 32 most recent tasks ended. Forty snapshots end after the
         * spawn, so snapshot 9 to 40 are remembered and everything before them is forgotten.
         */
        @ParameterizedTest(name = "snapshot {0}")
        @MethodSource("recentSnapshots")
        void aRepeatedReportIsRecognisedForEachOfTheMostRecentTasks(int snapshot) {
            fixture.given(fortySnapshotsLater())
                    .when(complete("task-snapshot-" + snapshot))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @ParameterizedTest(name = "snapshot {0}")
        @MethodSource("forgottenSnapshots")
        void aReportAboutATaskOlderThanTheRememberedOnesIsStale(int snapshot) {
            fixture.given(fortySnapshotsLater())
                    .when(complete("task-snapshot-" + snapshot))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        static Stream<Integer> recentSnapshots() {
            return Stream.iterate(9, i -> i <= 40, i -> i + 1);
        }

        static Stream<Integer> forgottenSnapshots() {
            return Stream.iterate(1, i -> i <= 8, i -> i + 1);
        }

        private static List<Object> fortySnapshotsLater() {
            List<Object> events = idleIn(ACTIVE, false);
            for (int i = 1; i <= 40; i++) {
                String taskId = "task-snapshot-" + i;
                events.add(new InstanceTaskStarted(ID, SNAPSHOT, taskId, TaskState.IMAGE_SNAPSHOT, ACTIVE, ACTIVE,
                        null, Map.of("name", "nightly-" + i)));
                events.add(new InstanceTaskCompleted(ID, SNAPSHOT, taskId, ACTIVE));
            }
            return events;
        }

        @Test
        void aReportAboutAnOlderTaskDoesNotTouchTheCurrentOne() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(STOP, TASK, Map.of()))
                    .when(complete("task-other"))
                    .expectException(rejected(Reason.STALE_TASK).withState("taskId", TASK)
                            .withState("taskState", TaskState.POWERING_OFF))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Durable timeouts; the fixture's stub deadline manager stands in for db-scheduler
    // ---------------------------------------------------------------------------------------

    @Nested
    class Timeouts {

        @Test
        void aSpawnThatNeverReportsTimesOutIntoError() {
            fixture.givenCommands(create())
                    .whenTimeElapses(Duration.ofMinutes(10))
                    .expectTriggeredDeadlines(new InstanceTaskDeadline(SPAWN, "PT10M"))
                    .expectEvents(new InstanceTaskTimedOut(ID, CREATE, SPAWN, ERROR, "PT10M"));
        }

        @Test
        void aShelveTimesOutAfterItsOwnTimeoutAndKeepsTheVmState() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .whenTimeElapses(Duration.ofMinutes(3))
                    .expectTriggeredDeadlines(new InstanceTaskDeadline(TASK, "PT3M"))
                    .expectEvents(new InstanceTaskTimedOut(ID, SHELVE, TASK, ACTIVE, "PT3M"));
        }

        @Test
        void nothingTimesOutBeforeTheTimeoutIsUp() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .whenTimeElapses(Duration.ofMinutes(2))
                    .expectTriggeredDeadlines()
                    .expectNoEvents();
        }

        @Test
        void theDeadlineOfATaskThatAlreadyEndedDoesNothing() {
            fixture.givenCommands(active())
                    .whenTimeElapses(Duration.ofMinutes(10))
                    .expectTriggeredDeadlines(new InstanceTaskDeadline(SPAWN, "PT10M"))
                    .expectNoEvents();
        }

        @Test
        void theDeadlineOfASupersededTaskDoesNotFailItsSuccessor() {
            // pause times out after 2 minutes, the hard reboot that superseded it after 10
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(PAUSE, "task-pause", Map.of()),
                            member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .whenTimeElapses(Duration.ofMinutes(2))
                    .expectTriggeredDeadlines(new InstanceTaskDeadline("task-pause", "PT2M"))
                    .expectNoEvents();
        }

        @Test
        void theTaskThatSupersededAnotherStillTimesOut() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(PAUSE, "task-pause", Map.of()),
                            member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .whenTimeElapses(Duration.ofMinutes(10))
                    .expectEvents(new InstanceTaskTimedOut(ID, REBOOT_HARD, "task-hard", ERROR, "PT10M"));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Superseding tasks: hard reboot, evacuate, delete (and race 7: a stale report after a hard reboot)
    // ---------------------------------------------------------------------------------------

    @Nested
    class Superseding {

        @Test
        void aHardRebootDuringPausingSupersedesThePause() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(PAUSE, "task-pause", Map.of()))
                    .when(member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .expectEvents(new InstanceTaskStarted(ID, REBOOT_HARD, "task-hard", TaskState.REBOOTING_HARD,
                            ACTIVE, ERROR, "task-pause", Map.of()));
        }

        /** Race 7: the old PAUSING task reports complete after a hard reboot took over. */
        @Test
        void thePauseTaskIsStaleOnceAHardRebootSupersededIt() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(PAUSE, "task-pause", Map.of()),
                            member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .when(complete("task-pause"))
                    .expectException(rejected(Reason.STALE_TASK).withState("taskId", "task-hard")
                            .withState("taskState", TaskState.REBOOTING_HARD).withState("vmState", ACTIVE))
                    .expectNoEvents();
        }

        @Test
        void theHardRebootThatSupersededAPauseCanStillComplete() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(PAUSE, "task-pause", Map.of()),
                            member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .when(complete("task-hard"))
                    .expectEvents(new InstanceTaskCompleted(ID, REBOOT_HARD, "task-hard", ACTIVE));
        }

        @Test
        void aHardRebootIsRejectedDuringAShelve() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, "task-shelve", Map.of("offload", "false")))
                    .when(member().ask(REBOOT_HARD, "task-hard", Map.of()))
                    .expectException(rejected(Reason.INVALID_STATE).withState("taskState", TaskState.SHELVING))
                    .expectNoEvents();
        }

        @ParameterizedTest
        @EnumSource(value = TaskState.class, mode = EnumSource.Mode.EXCLUDE, names = "DELETING")
        void deleteSupersedesAnyTask(TaskState running) {
            fixture.given(busyIn(ACTIVE, running, false))
                    .when(member().ask(DELETE))
                    .expectEvents(new InstanceTaskStarted(ID, DELETE, TASK, TaskState.DELETING, DELETED, ERROR,
                            BUSY, Map.of()));
        }

        @Test
        void deleteDuringShelvingMakesTheShelveReportStale() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, "task-shelve", Map.of("offload", "false")),
                            member().ask(DELETE, "task-delete", Map.of()))
                    .when(complete("task-shelve"))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @Test
        void aRepeatedDeleteWhileDeletingIsAcceptedAndAddsNothing() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(DELETE, "task-delete", Map.of()))
                    .when(member().ask(DELETE, "task-delete-again", Map.of()))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectNoScheduledDeadline(Duration.ofMinutes(10),
                            new InstanceTaskDeadline("task-delete-again", "PT10M"))
                    .expectResultMessagePayloadMatching(status(s -> s.taskState() == TaskState.DELETING
                            && "task-delete".equals(s.taskId())));
        }

        @ParameterizedTest
        @EnumSource(value = TaskState.class, mode = EnumSource.Mode.EXCLUDE, names = "DELETING")
        void evacuateSupersedesAnyTaskButADelete(TaskState running) {
            fixture.given(busyIn(STOPPED, running, false))
                    .when(member().ask(EVACUATE, TASK, Map.of("hostDown", "true")))
                    .expectEvents(new InstanceTaskStarted(ID, EVACUATE, TASK, TaskState.REBUILDING, STOPPED, ERROR,
                            BUSY, Map.of("hostDown", "true")));
        }

        @Test
        void aStartedDeleteIsNotTakenOverByEvacuateOrSoftDelete() {
            fixture.given(busyIn(STOPPED, TaskState.DELETING, false))
                    .when(member().ask(EVACUATE, TASK, Map.of("hostDown", "true")))
                    .expectException(rejected(Reason.INVALID_STATE))
                    .expectNoEvents();
            fixture.given(busyIn(STOPPED, TaskState.DELETING, false))
                    .when(member().ask(SOFT_DELETE))
                    .expectException(rejected(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void evacuateWithoutHostDownIsAValidationError() {
            fixture.given(idleIn(ACTIVE, false))
                    .when(member().ask(EVACUATE, TASK, Map.of()))
                    .expectException(rejected(Reason.VALIDATION))
                    .expectNoEvents()
                    .expectNoScheduledDeadlines();
        }

        @Test
        void evacuateWithHostDownFalseIsAValidationError() {
            fixture.givenCommands(active())
                    .when(member().ask(EVACUATE, TASK, Map.of("hostDown", "false")))
                    .expectException(rejected(Reason.VALIDATION))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Lock, reset-state, tenancy
    // ---------------------------------------------------------------------------------------

    @Nested
    class LockAndAdmin {

        @Test
        void aLockedInstanceRejectsAMembersShelve() {
            fixture.given(idleIn(ACTIVE, true))
                    .when(member().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .expectException(rejected(Reason.INVALID_STATE).withState("reason", "locked").retryable(false))
                    .expectNoEvents();
        }

        @Test
        void anAdminMayStillActOnALockedInstance() {
            fixture.given(idleIn(ACTIVE, true))
                    .when(admin().ask(SHELVE, TASK, Map.of("offload", "false")))
                    .expectEvents(new InstanceTaskStarted(ID, SHELVE, TASK, TaskState.SHELVING, SHELVED, ACTIVE, null,
                            Map.of("offload", "false")));
        }

        @Test
        void aLockedInstanceCanBeUnlocked() {
            fixture.given(idleIn(ACTIVE, true))
                    .when(member().ask(UNLOCK))
                    .expectEvents(new InstanceUnlocked(ID))
                    .expectResultMessagePayloadMatching(status(s -> !s.locked()));
        }

        @Test
        void lockingALockedInstanceAsAdminAddsNothing() {
            fixture.given(idleIn(ACTIVE, true))
                    .when(admin().ask(LOCK))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        /** Locks commute: racing lock calls from two replicas must all succeed. */
        @Test
        void lockingALockedInstanceAddsNothing() {
            fixture.given(idleIn(ACTIVE, true))
                    .when(member().ask(LOCK))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void unlockingAnUnlockedInstanceAddsNothing() {
            fixture.given(idleIn(ACTIVE, false))
                    .when(member().ask(UNLOCK))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aLockDoesNotEndTheRunningTask() {
            fixture.given(busyIn(ACTIVE, TaskState.SHELVING, false))
                    .andGiven(new InstanceLocked(ID))
                    .when(complete(BUSY))
                    .expectEvents(new InstanceTaskCompleted(ID, SHELVE, BUSY, ACTIVE));
        }

        @Test
        void resetStateIsRefusedToAMember() {
            fixture.given(idleIn(ERROR, false))
                    .when(member().ask(RESET_STATE, TASK, Map.of("vmState", "ACTIVE")))
                    .expectException(instanceOf(Rejection.class))
                    .expectNoEvents();
        }

        @Test
        void resetStateClearsTheRunningTask() {
            fixture.given(busyIn(ACTIVE, TaskState.SHELVING, false))
                    .when(admin().ask(RESET_STATE, TASK, Map.of("vmState", "ERROR")))
                    .expectEvents(new InstanceStateReset(ID, ERROR, BUSY))
                    .expectResultMessagePayloadMatching(status(s -> s.vmState() == ERROR && s.taskState() == null
                            && s.taskId() == null));
        }

        @Test
        void aReportForATaskClearedByResetStateIsStale() {
            fixture.given(busyIn(ACTIVE, TaskState.SHELVING, false))
                    .andGiven(new InstanceStateReset(ID, ACTIVE, BUSY))
                    .when(complete(BUSY))
                    .expectException(rejected(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @ParameterizedTest
        @EnumSource(value = VmState.class, mode = EnumSource.Mode.EXCLUDE, names = {"ACTIVE", "ERROR"})
        void resetStateAcceptsOnlyActiveOrError(VmState target) {
            fixture.given(idleIn(ERROR, false))
                    .when(admin().ask(RESET_STATE, TASK, Map.of("vmState", target.name())))
                    .expectException(rejected(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void resetStateWithoutATargetIsAValidationError() {
            fixture.given(idleIn(ERROR, false))
                    .when(admin().ask(RESET_STATE, TASK, Map.of()))
                    .expectException(rejected(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void anotherTenantsInstanceIsNotFound() {
            fixture.givenCommands(active())
                    .when(new RequestInstanceAction(ID, STOP, TASK, Map.of(), "globex", false, null))
                    .expectException(rejected(Reason.NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void anotherTenantLearnsNothingEvenFromALockedInstance() {
            // NOT_FOUND must win over every other refusal, or the refusal would reveal the instance
            fixture.given(idleIn(ACTIVE, true))
                    .when(new RequestInstanceAction(ID, STOP, TASK, Map.of(), "globex", false, null))
                    .expectException(rejected(Reason.NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void theOwningTenantMayAct() {
            fixture.givenCommands(active())
                    .when(new RequestInstanceAction(ID, STOP, TASK, Map.of(), TENANT, false, null))
                    .expectEvents(new InstanceTaskStarted(ID, STOP, TASK, TaskState.POWERING_OFF, STOPPED, ACTIVE,
                            null, Map.of()));
        }
    }

    // ---------------------------------------------------------------------------------------
    // If-Match: @TargetAggregateVersion
    // ---------------------------------------------------------------------------------------

    @Nested
    class Versions {

        @Test
        void anActionWithTheCurrentVersionIsAccepted() {
            // create + spawn completed: the last sequence number is 1
            fixture.givenCommands(active())
                    .when(new RequestInstanceAction(ID, STOP, TASK, Map.of(), null, false, 1L))
                    .expectEvents(new InstanceTaskStarted(ID, STOP, TASK, TaskState.POWERING_OFF, STOPPED, ACTIVE,
                            null, Map.of()));
        }

        @Test
        void anActionWithAStaleVersionIsAConflict() {
            fixture.givenCommands(active())
                    .when(new RequestInstanceAction(ID, STOP, TASK, Map.of(), null, false, 0L))
                    .expectException(ConflictingAggregateVersionException.class)
                    .expectNoEvents();
        }

        @Test
        void aStaleVersionIsAConflictEvenWhenTheTableWouldAlsoRefuse() {
            // a busy instance would answer INVALID_STATE; the caller must learn its view is old instead
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(SHELVE, "task-shelve", Map.of("offload", "false")))
                    .when(new RequestInstanceAction(ID, PAUSE, TASK, Map.of(), null, false, 1L))
                    .expectException(ConflictingAggregateVersionException.class)
                    .expectNoEvents();
        }

        @Test
        void aReportWithAStaleVersionIsAConflict() {
            fixture.givenCommands(active())
                    .andGivenCommands(member().ask(STOP, TASK, Map.of()))
                    .when(new CompleteInstanceTask(ID, TASK, null, 1L))
                    .expectException(ConflictingAggregateVersionException.class)
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Builders
    // ---------------------------------------------------------------------------------------

    /** Who sends a {@link RequestInstanceAction}: a member of the instance's tenant, or an admin. */
    record Sender(String tenantScope, boolean privileged) {

        RequestInstanceAction ask(InstanceAction action) {
            return ask(action, TASK, parametersFor(action));
        }

        RequestInstanceAction ask(InstanceAction action, String taskId, Map<String, String> parameters) {
            return new RequestInstanceAction(ID, action, taskId, parameters, tenantScope, privileged, null);
        }
    }

    static Sender member() {
        return new Sender(TENANT, false);
    }

    static Sender admin() {
        return new Sender(null, true);
    }

    static Sender callerFor(InstanceAction action) {
        return InstanceTransitions.row(action).adminOnly() ? admin() : member();
    }

    /** The smallest valid parameters each action needs; reset-state goes to ERROR. */
    static Map<String, String> parametersFor(InstanceAction action) {
        return switch (action) {
            case RESIZE -> Map.of("flavor", "m1.large");
            case SHELVE -> Map.of("offload", "false");
            case EVACUATE -> Map.of("hostDown", "true");
            case SNAPSHOT, BACKUP -> Map.of("name", "nightly");
            case RESET_STATE -> Map.of("vmState", "ERROR");
            default -> Map.of();
        };
    }

    static CreateInstance create() {
        return new CreateInstance(ID, TENANT, "web-1", "m1.small", SPAWN);
    }

    static CompleteInstanceTask complete(String taskId) {
        return new CompleteInstanceTask(ID, taskId, null, null);
    }

    static FailInstanceTask fail(String taskId, String reason) {
        return new FailInstanceTask(ID, taskId, reason, null);
    }

    /** Commands that bring the instance to ACTIVE the way an agent would. */
    static List<Object> active() {
        return List.of(create(), complete(SPAWN));
    }

    static List<Object> stopped() {
        return concat(active(), member().ask(STOP, "task-stop", Map.of()), complete("task-stop"));
    }

    static List<Object> resized(List<Object> before) {
        return concat(before, member().ask(RESIZE, "task-resize", Map.of("flavor", "m1.large")),
                complete("task-resize"));
    }

    /**
     * Events for an idle instance in {@code vmState}. An admin reset stands in for the tasks that
     * would really lead there: the fold accepts any target, and the aggregate only sees the state.
     */
    static List<Object> idleIn(VmState vmState, boolean locked) {
        List<Object> events = new ArrayList<>(List.of(
                new InstanceCreated(ID, TENANT, "web-1", "m1.small", SPAWN),
                new InstanceTaskCompleted(ID, CREATE, SPAWN, ACTIVE)));
        if (vmState != ACTIVE) {
            events.add(new InstanceStateReset(ID, vmState, null));
        }
        if (locked) {
            events.add(new InstanceLocked(ID));
        }
        return events;
    }

    /** Events for an instance in {@code vmState} with task {@link #BUSY} running as {@code task}. */
    static List<Object> busyIn(VmState vmState, TaskState task, boolean locked) {
        InstanceAction owner = InstanceTransitions.rows().stream()
                .filter(row -> row.task() == task).findFirst().orElseThrow().action();
        return concat(idleIn(vmState, locked),
                new InstanceTaskStarted(ID, owner, BUSY, task, vmState, vmState, null, Map.of()));
    }

    /** ACTIVE when the row allows it, so the tests read like the common case; else the first listed. */
    static VmState representativeFrom(InstanceTransition row) {
        return row.from().contains(ACTIVE) ? ACTIVE : row.from().iterator().next();
    }

    static List<Object> concat(List<Object> first, Object... more) {
        List<Object> all = new ArrayList<>(first);
        all.addAll(Arrays.asList(more));
        return all;
    }

    // ---------------------------------------------------------------------------------------
    // Matchers
    // ---------------------------------------------------------------------------------------

    static RejectionMatcher rejected(Reason reason) {
        return new RejectionMatcher(reason);
    }

    static Matcher<InstanceStatus> status(Predicate<InstanceStatus> check) {
        return new TypeSafeDiagnosingMatcher<>(InstanceStatus.class) {
            @Override
            protected boolean matchesSafely(InstanceStatus item, Description mismatch) {
                mismatch.appendText("was ").appendValue(item);
                return check.test(item);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("an InstanceStatus as expected");
            }
        };
    }

    /** A {@link Rejection} with the given reason and, optionally, state fields and retryability. */
    static final class RejectionMatcher extends TypeSafeDiagnosingMatcher<Rejection> {

        private final Reason reason;
        private final Map<String, Object> state = new LinkedHashMap<>();
        private Boolean retryable;

        RejectionMatcher(Reason reason) {
            this.reason = reason;
        }

        RejectionMatcher withState(String field, Object value) {
            state.put(field, value);
            return this;
        }

        RejectionMatcher retryable(boolean expected) {
            retryable = expected;
            return this;
        }

        @Override
        protected boolean matchesSafely(Rejection rejection, Description mismatch) {
            mismatch.appendText("was a rejection with reason ").appendValue(rejection.reason())
                    .appendText(", state ").appendValue(rejection.state())
                    .appendText(", retryable ").appendValue(rejection.retryable())
                    .appendText(": ").appendText(rejection.getMessage());
            return rejection.reason() == reason
                    && state.entrySet().stream().allMatch(e -> rejection.state().containsKey(e.getKey())
                    && Objects.equals(rejection.state().get(e.getKey()), e.getValue()))
                    && (retryable == null || retryable == rejection.retryable());
        }

        @Override
        public void describeTo(Description description) {
            description.appendText("a rejection with reason ").appendValue(reason);
            if (!state.isEmpty()) {
                description.appendText(" and state fields ").appendValue(state);
            }
            if (retryable != null) {
                description.appendText(retryable ? ", retryable" : ", not retryable");
            }
        }
    }
}
