package io.interlock.command.share;

import io.interlock.command.share.ShareCommands.AcquireSnapshotLease;
import io.interlock.command.share.ShareCommands.AllowAccess;
import io.interlock.command.share.ShareCommands.CompleteShareTask;
import io.interlock.command.share.ShareCommands.CreateShare;
import io.interlock.command.share.ShareCommands.CreateShareFromSnapshot;
import io.interlock.command.share.ShareCommands.DenyAccess;
import io.interlock.command.share.ShareCommands.FailShareTask;
import io.interlock.command.share.ShareCommands.ManageShare;
import io.interlock.command.share.ShareCommands.ReleaseSnapshotLease;
import io.interlock.command.share.ShareCommands.RequestShareAction;
import io.interlock.command.share.ShareCommands.SettleAccessRulesSync;
import io.interlock.command.share.ShareCommands.StartAccessRulesSync;
import io.interlock.command.support.Rejected;
import io.interlock.lifecycle.Rejection.Reason;
import io.interlock.share.AccessLevel;
import io.interlock.share.AccessRuleState;
import io.interlock.share.AccessRulesStatus;
import io.interlock.share.AccessType;
import io.interlock.share.RuleOutcome;
import io.interlock.share.ShareAction;
import io.interlock.share.ShareEvents.AccessRuleAllowed;
import io.interlock.share.ShareEvents.AccessRuleDenyQueued;
import io.interlock.share.ShareEvents.AccessRulesSyncSettled;
import io.interlock.share.ShareEvents.AccessRulesSyncStarted;
import io.interlock.share.ShareEvents.AccessRulesSyncTimedOut;
import io.interlock.share.ShareEvents.ShareCreated;
import io.interlock.share.ShareEvents.ShareCreatedFromSnapshot;
import io.interlock.share.ShareEvents.ShareManageStarted;
import io.interlock.share.ShareEvents.ShareStatusReset;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskFailed;
import io.interlock.share.ShareEvents.ShareTaskStarted;
import io.interlock.share.ShareEvents.ShareTaskTimedOut;
import io.interlock.share.ShareEvents.SnapshotLeaseAcquired;
import io.interlock.share.ShareEvents.SnapshotLeaseExpired;
import io.interlock.share.ShareEvents.SnapshotLeaseReleased;
import io.interlock.share.ShareStatus;
import io.interlock.share.ShareTransition;
import io.interlock.share.ShareTransitions;
import io.interlock.share.SnapshotStatus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.interlock.share.ShareAction.*;
import static io.interlock.share.ShareStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share aggregate against the lifecycle contract and its table.2. The first nested class walks the simple rows of
 * {@link ShareTransitions} against every status; the rest pin each row's landings, the snapshot,
 * lease and access-rule rules, reports and timeouts.
 */
class ShareTest {

    static final String ID = "share-1";
    static final String TENANT = "acme";
    static final String CREATE_TASK = "task-create";
    static final String TASK = "task-new";
    static final String SNAP = "snap-1";
    static final long SIZE = 10;

    static final ShareTimeouts TIMEOUTS = new ShareTimeouts(Duration.ofMinutes(10),
            Map.of("extend", Duration.ofMinutes(3)), Duration.ofHours(2), Duration.ofMinutes(5));

    FixtureConfiguration<Share> fixture;
    final InMemoryExportPaths paths = new InMemoryExportPaths();

    /** The export-path claims, as the JDBC table keeps them. */
    static final class InMemoryExportPaths implements ExportPaths {
        final Map<String, String> claims = new HashMap<>();

        @Override
        public boolean claim(String path, String shareId) {
            return claims.computeIfAbsent(path, p -> shareId).equals(shareId);
        }

        @Override
        public void release(String path, String shareId) {
            claims.remove(path, shareId);
        }
    }

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Share.class);
        fixture.registerInjectableResource(TIMEOUTS);
        fixture.registerInjectableResource(paths);
    }

    // ---- events that bring a share into a known state ----------------------------------------

    static ShareCreated created() {
        return new ShareCreated(ID, TENANT, SIZE, "NFS", CREATE_TASK);
    }

    static ShareTaskCompleted available() {
        return new ShareTaskCompleted(ID, CREATE, CREATE_TASK, AVAILABLE, null, null, SIZE);
    }

    /** A share with no task, in any status: an admin's forced reset puts it there. */
    static List<Object> in(ShareStatus status) {
        return List.of(created(), new ShareStatusReset(ID, status, true, CREATE_TASK, null, null));
    }

    static ShareTaskStarted snapshotStarted(String snapshotId, String taskId) {
        return new ShareTaskStarted(ID, CREATE_SNAPSHOT, taskId, SNAPSHOTTING, AVAILABLE, ERROR, null, snapshotId,
                "nightly", SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, null, Map.of());
    }

    static ShareTaskCompleted snapshotDone(String snapshotId, String taskId) {
        return new ShareTaskCompleted(ID, CREATE_SNAPSHOT, taskId, AVAILABLE, snapshotId, SnapshotStatus.AVAILABLE, SIZE);
    }

    /** AVAILABLE with one AVAILABLE snapshot, {@link #SNAP}. */
    static List<Object> withSnapshot() {
        return List.of(created(), available(), snapshotStarted(SNAP, "task-snap"), snapshotDone(SNAP, "task-snap"));
    }

    static List<Object> plus(List<Object> events, Object... more) {
        List<Object> all = new ArrayList<>(events);
        all.addAll(List.of(more));
        return all;
    }

    static RequestShareAction ask(ShareAction action) {
        return ask(action, null, null, Map.of());
    }

    static RequestShareAction ask(ShareAction action, String snapshotId, Long newSize, Map<String, String> parameters) {
        return new RequestShareAction(ID, action, TASK, snapshotId, action == CREATE_SNAPSHOT ? "nightly" : null,
                newSize, parameters, TENANT, false, null);
    }

    static RequestShareAction admin(ShareAction action, Map<String, String> parameters) {
        return new RequestShareAction(ID, action, TASK, null, null, null, parameters, null, true, null);
    }

    static ShareTaskStarted started(ShareAction action, Long newSize, Map<String, String> parameters) {
        ShareTransition row = ShareTransitions.row(action);
        return new ShareTaskStarted(ID, action, TASK, row.transitional(), row.success(), row.failure(),
                row.dataLossFailure(), null, null, null, null, null, newSize, parameters);
    }

    // ---------------------------------------------------------------------------------------
    // The table, row by row, against every status
    // ---------------------------------------------------------------------------------------

    @Nested
    class TheTable {

        static Stream<Arguments> simpleRowsAndStatuses() {
            List<Arguments> cases = new ArrayList<>();
            for (ShareAction action : List.of(EXTEND, SHRINK, MIGRATE, UNMANAGE, DELETE)) {
                for (ShareStatus status : ShareStatus.values()) {
                    if (!status.transitional()) {
                        cases.add(Arguments.of(action, status));
                    }
                }
            }
            return cases.stream();
        }

        static Long sizeFor(ShareAction action) {
            return action == EXTEND ? Long.valueOf(SIZE + 5) : action == SHRINK ? Long.valueOf(SIZE - 5) : null;
        }

        static Map<String, String> parametersFor(ShareAction action) {
            return action == MIGRATE ? Map.of("destination", "pool-b") : Map.of();
        }

        @ParameterizedTest(name = "{0} from {1}")
        @MethodSource("simpleRowsAndStatuses")
        void aRowRunsFromExactlyItsStatuses(ShareAction action, ShareStatus status) {
            var then = fixture.given(in(status))
                    .when(ask(action, null, sizeFor(action), parametersFor(action)));
            if (ShareTransitions.row(action).from().contains(status)) {
                then.expectSuccessfulHandlerExecution()
                        .expectEvents(started(action, sizeFor(action), parametersFor(action)))
                        .expectScheduledDeadlineOfType(TIMEOUTS.of(action), ShareDeadlines.TaskTimeout.class);
            } else {
                then.expectException(Rejected.with(Reason.INVALID_STATE)).expectNoEvents();
            }
        }

        @ParameterizedTest(name = "{0} while {1}")
        @MethodSource("transitionalStatuses")
        void nothingButAnAdminsResetRunsWhileAShareTaskRuns(ShareStatus status, ShareAction action) {
            fixture.given(in(AVAILABLE).get(0), new ShareStatusReset(ID, status, true, CREATE_TASK, null, null))
                    .when(ask(action, null, sizeFor(action), parametersFor(action)))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        static Stream<Arguments> transitionalStatuses() {
            List<Arguments> cases = new ArrayList<>();
            for (ShareStatus status : ShareStatus.TRANSITIONAL) {
                if (status == DELETING) {
                    continue; // a repeated delete is accepted; tested below
                }
                for (ShareAction action : List.of(EXTEND, SHRINK, MIGRATE, UNMANAGE, DELETE, CREATE_SNAPSHOT)) {
                    cases.add(Arguments.of(status, action));
                }
            }
            return cases.stream();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Creation
    // ---------------------------------------------------------------------------------------

    @Nested
    class Creation {

        @Test
        void createStartsTheCreatingTaskWithItsTimeout() {
            fixture.givenNoPriorActivity()
                    .when(new CreateShare(ID, TENANT, SIZE, "NFS", CREATE_TASK))
                    .expectEvents(created())
                    .expectScheduledDeadlineOfType(Duration.ofMinutes(10), ShareDeadlines.TaskTimeout.class);
        }

        @Test
        void createCompletesToAvailableAndFailsToError() {
            fixture.given(created()).when(new CompleteShareTask(ID, CREATE_TASK, null, null))
                    .expectEvents(available())
                    .expectResultMessagePayloadMatching(status(AVAILABLE));
            setUp();
            fixture.given(created()).when(new FailShareTask(ID, CREATE_TASK, "no space", false, null))
                    .expectEvents(new ShareTaskFailed(ID, CREATE, CREATE_TASK, ERROR, null, null, "no space", false));
        }

        @Test
        void createFromSnapshotEntersCreatingFromSnapshot() {
            fixture.givenNoPriorActivity()
                    .when(new CreateShareFromSnapshot("share-2", TENANT, SIZE, "NFS", ID, SNAP, CREATE_TASK))
                    .expectEvents(new ShareCreatedFromSnapshot("share-2", TENANT, SIZE, "NFS", ID, SNAP, CREATE_TASK));
        }

        @Test
        void createFromSnapshotCompletesToAvailableAndFailsToError() {
            ShareCreatedFromSnapshot copying = new ShareCreatedFromSnapshot(ID, TENANT, SIZE, "NFS", "src", SNAP,
                    CREATE_TASK);
            fixture.given(copying).when(new CompleteShareTask(ID, CREATE_TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, CREATE_FROM_SNAPSHOT, CREATE_TASK, AVAILABLE, null, null,
                            SIZE));
            setUp();
            fixture.given(copying).when(new FailShareTask(ID, CREATE_TASK, "copy failed", false, null))
                    .expectEvents(new ShareTaskFailed(ID, CREATE_FROM_SNAPSHOT, CREATE_TASK, ERROR, null, null,
                            "copy failed", false));
        }

        @Test
        void manageCompletesToAvailable() {
            fixture.given(new ShareManageStarted(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK))
                    .when(new CompleteShareTask(ID, CREATE_TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, MANAGE, CREATE_TASK, AVAILABLE, null, null, 0));
        }

        @Test
        void deleteOfAManagedShareGivesItsPathBack() {
            paths.claims.put("/exports/a", ID);
            fixture.given(new ShareManageStarted(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK),
                            new ShareTaskCompleted(ID, MANAGE, CREATE_TASK, AVAILABLE, null, null, 0),
                            started(DELETE, null, Map.of()))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, DELETE, TASK, DELETED, null, null, 0));
            assertThat(paths.claims).doesNotContainKey("/exports/a");
        }

        @Test
        void manageClaimsItsExportPath() {
            fixture.givenNoPriorActivity()
                    .when(new ManageShare(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK))
                    .expectEvents(new ShareManageStarted(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK));
            assertThat(paths.claims).containsEntry("/exports/a", ID);
        }

        @Test
        void manageOfAPathAnotherShareManagesIsAlreadyExists() {
            paths.claims.put("/exports/a", "other-share");
            fixture.givenNoPriorActivity()
                    .when(new ManageShare(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK))
                    .expectException(Rejected.with(Reason.ALREADY_EXISTS))
                    .expectNoEvents();
        }

        @Test
        void aFailedManageLandsInManageError() {
            fixture.given(new ShareManageStarted(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK))
                    .when(new FailShareTask(ID, CREATE_TASK, "no such export", false, null))
                    .expectEvents(new ShareTaskFailed(ID, MANAGE, CREATE_TASK, MANAGE_ERROR, null, null,
                            "no such export", false));
        }

        @Test
        void unmanageCompletesToUnmanagedAndGivesThePathBack() {
            paths.claims.put("/exports/a", ID);
            fixture.given(new ShareManageStarted(ID, TENANT, 0, "NFS", "/exports/a", CREATE_TASK),
                            new ShareTaskCompleted(ID, MANAGE, CREATE_TASK, AVAILABLE, null, null, 0),
                            started(UNMANAGE, null, Map.of()))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, UNMANAGE, TASK, UNMANAGED, null, null, 0));
            assertThat(paths.claims).doesNotContainKey("/exports/a");
        }

        @Test
        void aCreateThatTimesOutLandsInErrorWithATimedOutEvent() {
            fixture.givenCommands(new CreateShare(ID, TENANT, SIZE, "NFS", CREATE_TASK))
                    .whenTimeElapses(Duration.ofMinutes(10))
                    .expectEvents(new ShareTaskTimedOut(ID, CREATE, CREATE_TASK, ERROR, null, null, "PT10M"));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Delete, extend, shrink, migrate
    // ---------------------------------------------------------------------------------------

    @Nested
    class Lifecycle {

        @Test
        void deleteIsRefusedWhileASnapshotLives() {
            fixture.given(withSnapshot())
                    .when(ask(DELETE))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void deleteIsAllowedOnceEverySnapshotIsDeleted() {
            fixture.given(plus(withSnapshot(),
                            new ShareTaskStarted(ID, DELETE_SNAPSHOT, "task-del", null, null, null, null, SNAP, null,
                                    SnapshotStatus.DELETING, SnapshotStatus.DELETED, SnapshotStatus.ERROR_DELETING, null,
                                    Map.of()),
                            new ShareTaskCompleted(ID, DELETE_SNAPSHOT, "task-del", null, SNAP, SnapshotStatus.DELETED, SIZE)))
                    .when(ask(DELETE))
                    .expectEvents(started(DELETE, null, Map.of()));
        }

        @Test
        void deleteCompletesToDeletedAndFailsToErrorDeleting() {
            fixture.given(plus(in(AVAILABLE), started(DELETE, null, Map.of())))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, DELETE, TASK, DELETED, null, null, SIZE));
            setUp();
            fixture.given(plus(in(AVAILABLE), started(DELETE, null, Map.of())))
                    .when(new FailShareTask(ID, TASK, "busy", false, null))
                    .expectEvents(new ShareTaskFailed(ID, DELETE, TASK, ERROR_DELETING, null, null, "busy", false));
        }

        @Test
        void aRepeatedDeleteWhileDeletingIsAcceptedAndAddsNothing() {
            fixture.given(plus(in(AVAILABLE), started(DELETE, null, Map.of())))
                    .when(new RequestShareAction(ID, DELETE, "another-task", null, null, null, Map.of(), TENANT, false, null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents()
                    .expectResultMessagePayloadMatching(status(DELETING));
        }

        @Test
        void extendCompletesWithTheNewSize() {
            fixture.given(plus(in(AVAILABLE), started(EXTEND, 20L, Map.of())))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, EXTEND, TASK, AVAILABLE, null, null, 20));
        }

        @Test
        void extendToASmallerSizeIsInvalid() {
            fixture.given(in(AVAILABLE))
                    .when(ask(EXTEND, null, SIZE - 1, Map.of()))
                    .expectException(Rejected.with(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void extendFailsToExtendingError() {
            fixture.given(plus(in(AVAILABLE), started(EXTEND, 20L, Map.of())))
                    .when(new FailShareTask(ID, TASK, "pool full", false, null))
                    .expectEvents(new ShareTaskFailed(ID, EXTEND, TASK, EXTENDING_ERROR, null, null, "pool full", false));
        }

        @Test
        void shrinkToALargerSizeIsInvalid() {
            fixture.given(in(AVAILABLE))
                    .when(ask(SHRINK, null, SIZE + 1, Map.of()))
                    .expectException(Rejected.with(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void shrinkToTheSameSizeIsInvalid() {
            fixture.given(in(AVAILABLE))
                    .when(ask(SHRINK, null, SIZE, Map.of()))
                    .expectException(Rejected.with(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void shrinkCompletesWithTheNewSize() {
            fixture.given(plus(in(AVAILABLE), started(SHRINK, 4L, Map.of())))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, SHRINK, TASK, AVAILABLE, null, null, 4));
        }

        @Test
        void aShrinkFailureIsShrinkingErrorUnlessTheAgentSaysDataMayBeLost() {
            fixture.given(plus(in(AVAILABLE), started(SHRINK, 4L, Map.of())))
                    .when(new FailShareTask(ID, TASK, "in use", false, null))
                    .expectEvents(new ShareTaskFailed(ID, SHRINK, TASK, SHRINKING_ERROR, null, null, "in use", false));
            setUp();
            fixture.given(plus(in(AVAILABLE), started(SHRINK, 4L, Map.of())))
                    .when(new FailShareTask(ID, TASK, "truncated", true, null))
                    .expectEvents(new ShareTaskFailed(ID, SHRINK, TASK, SHRINKING_POSSIBLE_DATA_LOSS_ERROR, null, null,
                            "truncated", true));
        }

        @Test
        void aDataLossFlagOnAnotherTaskIsIgnored() {
            fixture.given(plus(in(AVAILABLE), started(EXTEND, 20L, Map.of())))
                    .when(new FailShareTask(ID, TASK, "odd", true, null))
                    .expectEvents(new ShareTaskFailed(ID, EXTEND, TASK, EXTENDING_ERROR, null, null, "odd", false));
        }

        @Test
        void migrateIsRefusedWhileASnapshotLivesAndCompletesToAvailable() {
            fixture.given(withSnapshot())
                    .when(ask(MIGRATE, null, null, Map.of("destination", "b")))
                    .expectException(Rejected.with(Reason.INVALID_STATE));
            setUp();
            fixture.given(plus(in(AVAILABLE), started(MIGRATE, null, Map.of("destination", "b"))))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, MIGRATE, TASK, AVAILABLE, null, null, SIZE));
        }

        @Test
        void unmanageIsRefusedWhileASnapshotLivesAndFailsToUnmanageError() {
            fixture.given(withSnapshot())
                    .when(ask(UNMANAGE))
                    .expectException(Rejected.with(Reason.INVALID_STATE));
            setUp();
            fixture.given(plus(in(AVAILABLE), started(UNMANAGE, null, Map.of())))
                    .when(new FailShareTask(ID, TASK, "x", false, null))
                    .expectEvents(new ShareTaskFailed(ID, UNMANAGE, TASK, UNMANAGE_ERROR, null, null, "x", false));
        }

        @Test
        void aTaskThatTimesOutLandsInItsFailureStatus() {
            fixture.given(in(AVAILABLE))
                    .andGivenCommands(ask(EXTEND, null, 20L, Map.of()))
                    .whenTimeElapses(Duration.ofMinutes(3))
                    .expectEvents(new ShareTaskTimedOut(ID, EXTEND, TASK, EXTENDING_ERROR, null, null, "PT3M"));
        }

        @Test
        void aTimeoutAfterTheTaskEndedChangesNothing() {
            fixture.given(in(AVAILABLE))
                    .andGivenCommands(ask(EXTEND, null, 20L, Map.of()), new CompleteShareTask(ID, TASK, null, null))
                    .whenTimeElapses(Duration.ofMinutes(3))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Task reports
    // ---------------------------------------------------------------------------------------

    @Nested
    class Reports {

        @Test
        void aReportOnATaskThatIsNotCurrentIsStale() {
            fixture.given(in(AVAILABLE))
                    .when(new CompleteShareTask(ID, "task-unknown", null, null))
                    .expectException(Rejected.with(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @Test
        void aRepeatedCompletionIsAnsweredWithoutANewEvent() {
            fixture.given(created(), available())
                    .when(new CompleteShareTask(ID, CREATE_TASK, null, null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aFailureAfterACompletionIsStale() {
            fixture.given(created(), available())
                    .when(new FailShareTask(ID, CREATE_TASK, "late", false, null))
                    .expectException(Rejected.with(Reason.STALE_TASK))
                    .expectNoEvents();
        }

        @Test
        void aReportOnATaskAnAdminResetIsStale() {
            fixture.given(plus(in(AVAILABLE), started(EXTEND, 20L, Map.of()),
                            new ShareStatusReset(ID, ERROR, true, TASK, null, null)))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectException(Rejected.with(Reason.STALE_TASK))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Snapshots and revert
    // ---------------------------------------------------------------------------------------

    @Nested
    class Snapshots {

        @Test
        void createSnapshotPutsTheShareInSnapshottingAndTheSnapshotInCreating() {
            fixture.given(created(), available())
                    .when(ask(CREATE_SNAPSHOT, SNAP, null, Map.of()))
                    .expectEvents(new ShareTaskStarted(ID, CREATE_SNAPSHOT, TASK, SNAPSHOTTING, AVAILABLE, ERROR, null,
                            SNAP, "nightly", SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR,
                            null, Map.of()));
        }

        @Test
        void aSnapshotWhileSnapshottingIsRefused() {
            fixture.given(created(), available(), snapshotStarted(SNAP, "task-snap"))
                    .when(ask(CREATE_SNAPSHOT, "snap-2", null, Map.of()))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void aSnapshotWithAnIdInUseIsAlreadyExists() {
            fixture.given(withSnapshot())
                    .when(ask(CREATE_SNAPSHOT, SNAP, null, Map.of()))
                    .expectException(Rejected.with(Reason.ALREADY_EXISTS))
                    .expectNoEvents();
        }

        @Test
        void aFailedSnapshotLeavesTheShareAndTheSnapshotInError() {
            fixture.given(created(), available(), snapshotStarted(SNAP, TASK))
                    .when(new FailShareTask(ID, TASK, "io", false, null))
                    .expectEvents(new ShareTaskFailed(ID, CREATE_SNAPSHOT, TASK, ERROR, SNAP, SnapshotStatus.ERROR,
                            "io", false));
        }

        @Test
        void deleteSnapshotRunsBesideTheSharesStatus() {
            fixture.given(withSnapshot())
                    .when(ask(DELETE_SNAPSHOT, SNAP, null, Map.of()))
                    .expectEvents(new ShareTaskStarted(ID, DELETE_SNAPSHOT, TASK, null, null, null, null, SNAP, null,
                            SnapshotStatus.DELETING, SnapshotStatus.DELETED, SnapshotStatus.ERROR_DELETING, null, Map.of()));
        }

        @Test
        void deleteSnapshotCompletesToDeletedAndFailsToErrorDeleting() {
            ShareTaskStarted deleting = new ShareTaskStarted(ID, DELETE_SNAPSHOT, TASK, null, null, null, null, SNAP,
                    null, SnapshotStatus.DELETING, SnapshotStatus.DELETED, SnapshotStatus.ERROR_DELETING, null, Map.of());
            fixture.given(plus(withSnapshot(), deleting))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, DELETE_SNAPSHOT, TASK, null, SNAP, SnapshotStatus.DELETED, SIZE));
            setUp();
            fixture.given(plus(withSnapshot(), deleting))
                    .when(new FailShareTask(ID, TASK, "busy", false, null))
                    .expectEvents(new ShareTaskFailed(ID, DELETE_SNAPSHOT, TASK, null, SNAP,
                            SnapshotStatus.ERROR_DELETING, "busy", false));
        }

        @Test
        void deleteOfALeasedSnapshotIsRefused() {
            fixture.given(plus(withSnapshot(), new SnapshotLeaseAcquired(ID, SNAP, "share-2", "lease-1",
                            Instant.parse("2030-01-01T00:00:00Z"))))
                    .when(ask(DELETE_SNAPSHOT, SNAP, null, Map.of()))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void deleteOfASnapshotWhoseLeaseWasReleasedIsAllowed() {
            fixture.given(plus(withSnapshot(),
                            new SnapshotLeaseAcquired(ID, SNAP, "share-2", "lease-1", Instant.parse("2030-01-01T00:00:00Z")),
                            new SnapshotLeaseReleased(ID, SNAP, "share-2", "lease-1")))
                    .when(ask(DELETE_SNAPSHOT, SNAP, null, Map.of()))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void deleteSnapshotIsRefusedWhileTheShareSnapshotsDeletesOrReverts() {
            for (ShareStatus busy : List.of(SNAPSHOTTING, DELETING, REVERTING)) {
                setUp();
                fixture.given(plus(withSnapshot(), new ShareStatusReset(ID, busy, true, null, null, null)))
                        .when(ask(DELETE_SNAPSHOT, SNAP, null, Map.of()))
                        .expectException(Rejected.with(Reason.INVALID_STATE))
                        .expectNoEvents();
            }
        }

        @Test
        void deleteSnapshotIsAllowedWhileTheShareExtends() {
            fixture.given(plus(withSnapshot(), started(EXTEND, 20L, Map.of())))
                    .when(new RequestShareAction(ID, DELETE_SNAPSHOT, "task-del", SNAP, null, null, Map.of(), TENANT,
                            false, null))
                    .expectSuccessfulHandlerExecution()
                    .expectResultMessagePayloadMatching(status(EXTENDING));
        }

        @Test
        void deleteOfAnUnknownSnapshotIsNotFound() {
            fixture.given(created(), available())
                    .when(ask(DELETE_SNAPSHOT, "nope", null, Map.of()))
                    .expectException(Rejected.with(Reason.NOT_FOUND));
        }

        @Test
        void revertToTheLatestSnapshotStartsReverting() {
            fixture.given(withSnapshot())
                    .when(ask(REVERT, SNAP, null, Map.of()))
                    .expectEvents(new ShareTaskStarted(ID, REVERT, TASK, REVERTING, AVAILABLE, REVERTING_ERROR, null, SNAP,
                            null, SnapshotStatus.RESTORING, SnapshotStatus.AVAILABLE, SnapshotStatus.AVAILABLE, null,
                            Map.of()));
        }

        @Test
        void revertToASnapshotThatIsNotTheLatestIsRefused() {
            fixture.given(plus(withSnapshot(), snapshotStarted("snap-2", "task-2"), snapshotDone("snap-2", "task-2")))
                    .when(ask(REVERT, SNAP, null, Map.of()))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void revertIsRefusedUnlessEveryRuleIsActive() {
            fixture.given(plus(withSnapshot(), new AccessRuleAllowed(ID, "r1", AccessType.IP, "10.0.0.1", AccessLevel.RW)))
                    .when(ask(REVERT, SNAP, null, Map.of()))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void revertCompletesToTheSnapshotsSizeAndFailsToRevertingError() {
            ShareTaskStarted reverting = new ShareTaskStarted(ID, REVERT, TASK, REVERTING, AVAILABLE, REVERTING_ERROR,
                    null, SNAP, null, SnapshotStatus.RESTORING, SnapshotStatus.AVAILABLE, SnapshotStatus.AVAILABLE, null,
                    Map.of());
            fixture.given(plus(withSnapshot(), new ShareTaskStarted(ID, EXTEND, "t-x", EXTENDING, AVAILABLE,
                            EXTENDING_ERROR, null, null, null, null, null, null, 30L, Map.of()),
                            new ShareTaskCompleted(ID, EXTEND, "t-x", AVAILABLE, null, null, 30), reverting))
                    .when(new CompleteShareTask(ID, TASK, null, null))
                    .expectEvents(new ShareTaskCompleted(ID, REVERT, TASK, AVAILABLE, SNAP, SnapshotStatus.AVAILABLE, SIZE));
            setUp();
            fixture.given(plus(withSnapshot(), reverting))
                    .when(new FailShareTask(ID, TASK, "x", false, null))
                    .expectEvents(new ShareTaskFailed(ID, REVERT, TASK, REVERTING_ERROR, SNAP, SnapshotStatus.AVAILABLE,
                            "x", false));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Read leases
    // ---------------------------------------------------------------------------------------

    @Nested
    class Leases {

        @Test
        void aLeaseIsTakenOnAnAvailableSnapshotWithItsOwnExpiry() {
            fixture.given(withSnapshot())
                    .when(new AcquireSnapshotLease(ID, SNAP, "share-2", null))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                    org.hamcrest.Matchers.instanceOf(SnapshotLeaseAcquired.class),
                                    org.axonframework.test.matchers.Matchers.andNoMore())))
                    .expectScheduledDeadlineOfType(Duration.ofHours(2), ShareDeadlines.LeaseExpiry.class)
                    .expectResultMessagePayloadMatching(answer("a lease taken by this call",
                            r -> r instanceof ShareResponse.LeaseGrant g && g.acquired()));
        }

        @Test
        void acquiringAgainForTheSameOwnerAddsNothing() {
            fixture.given(plus(withSnapshot(), new SnapshotLeaseAcquired(ID, SNAP, "share-2", "l1",
                            Instant.parse("2030-01-01T00:00:00Z"))))
                    .when(new AcquireSnapshotLease(ID, SNAP, "share-2", null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void severalOwnersMayHoldLeasesAtOnce() {
            fixture.given(plus(withSnapshot(), new SnapshotLeaseAcquired(ID, SNAP, "share-2", "l1",
                            Instant.parse("2030-01-01T00:00:00Z"))))
                    .when(new AcquireSnapshotLease(ID, SNAP, "share-3", null))
                    .expectSuccessfulHandlerExecution()
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                    org.hamcrest.Matchers.instanceOf(SnapshotLeaseAcquired.class),
                                    org.axonframework.test.matchers.Matchers.andNoMore())));
        }

        @Test
        void aLeaseOnASnapshotBeingDeletedIsRefused() {
            fixture.given(plus(withSnapshot(), new ShareTaskStarted(ID, DELETE_SNAPSHOT, "t-d", null, null, null,
                            null, SNAP, null, SnapshotStatus.DELETING, SnapshotStatus.DELETED,
                            SnapshotStatus.ERROR_DELETING, null, Map.of())))
                    .when(new AcquireSnapshotLease(ID, SNAP, "share-2", null))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void aLeaseOnAnotherTenantsShareIsNotFound() {
            fixture.given(withSnapshot())
                    .when(new AcquireSnapshotLease(ID, SNAP, "share-2", "globex"))
                    .expectException(Rejected.with(Reason.NOT_FOUND))
                    .expectNoEvents();
        }

        @Test
        void releaseGivesTheLeaseBackAndARepeatAddsNothing() {
            List<Object> leased = plus(withSnapshot(), new SnapshotLeaseAcquired(ID, SNAP, "share-2", "l1",
                    Instant.parse("2030-01-01T00:00:00Z")));
            fixture.given(leased)
                    .when(new ReleaseSnapshotLease(ID, SNAP, "share-2"))
                    .expectEvents(new SnapshotLeaseReleased(ID, SNAP, "share-2", "l1"));
            setUp();
            fixture.given(plus(leased, new SnapshotLeaseReleased(ID, SNAP, "share-2", "l1")))
                    .when(new ReleaseSnapshotLease(ID, SNAP, "share-2"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aLeaseNobodyReleasesExpiresOnItsOwn() {
            fixture.given(withSnapshot())
                    .andGivenCommands(new AcquireSnapshotLease(ID, SNAP, "share-2", null))
                    .whenTimeElapses(Duration.ofHours(2))
                    .expectEventsMatching(org.axonframework.test.matchers.Matchers.payloadsMatching(
                            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                                    org.hamcrest.Matchers.instanceOf(SnapshotLeaseExpired.class),
                                    org.axonframework.test.matchers.Matchers.andNoMore())));
        }

        @Test
        void theShareOfALeasedSnapshotCannotBeDeleted() {
            fixture.given(plus(withSnapshot(), new SnapshotLeaseAcquired(ID, SNAP, "share-2", "l1",
                            Instant.parse("2030-01-01T00:00:00Z"))))
                    .when(ask(DELETE))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Access rules
    // ---------------------------------------------------------------------------------------

    @Nested
    class AccessRules {

        AllowAccess allow(String ruleId, String to) {
            return new AllowAccess(ID, ruleId, AccessType.IP, to, AccessLevel.RW, TENANT, null);
        }

        AccessRuleAllowed allowed(String ruleId, String to) {
            return new AccessRuleAllowed(ID, ruleId, AccessType.IP, to, AccessLevel.RW);
        }

        @Test
        void allowQueuesTheRule() {
            fixture.given(created(), available())
                    .when(allow("r1", "10.0.0.1"))
                    .expectEvents(allowed("r1", "10.0.0.1"));
        }

        @Test
        void allowIsAcceptedInAnErrorStatusAndWhateverOtherRulesDo() {
            fixture.given(plus(in(EXTENDING_ERROR), allowed("r0", "10.0.0.9"),
                            new AccessRulesSyncStarted(ID, "sync-1", List.of("r0"))))
                    .when(allow("r1", "10.0.0.1"))
                    .expectEvents(allowed("r1", "10.0.0.1"));
        }

        @Test
        void anIdenticalRuleIsAlreadyExists() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"))
                    .when(allow("r2", "10.0.0.1"))
                    .expectException(Rejected.with(Reason.ALREADY_EXISTS))
                    .expectNoEvents();
        }

        @Test
        void theSameTargetAtAnotherLevelIsADifferentRule() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"))
                    .when(new AllowAccess(ID, "r2", AccessType.IP, "10.0.0.1", AccessLevel.RO, TENANT, null))
                    .expectEvents(new AccessRuleAllowed(ID, "r2", AccessType.IP, "10.0.0.1", AccessLevel.RO));
        }

        @Test
        void rulesCannotChangeWhileTheShareIsTransitionalOrDeleted() {
            for (ShareStatus status : List.of(EXTENDING, SNAPSHOTTING, DELETING, DELETED, CREATING)) {
                setUp();
                fixture.given(created(), new ShareStatusReset(ID, status, true, CREATE_TASK, null, null))
                        .when(allow("r1", "10.0.0.1"))
                        .expectException(Rejected.with(Reason.INVALID_STATE))
                        .expectNoEvents();
            }
        }

        @Test
        void denyQueuesTheRuleAndARepeatAddsNothing() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"))
                    .when(new DenyAccess(ID, "r1", TENANT, null))
                    .expectEvents(new AccessRuleDenyQueued(ID, "r1"));
            setUp();
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"), new AccessRuleDenyQueued(ID, "r1"))
                    .when(new DenyAccess(ID, "r1", TENANT, null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void denyOfAnUnknownRuleIsNotFound() {
            fixture.given(created(), available())
                    .when(new DenyAccess(ID, "nope", TENANT, null))
                    .expectException(Rejected.with(Reason.NOT_FOUND));
        }

        @Test
        void aSyncClaimsEveryQueuedRule() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"), allowed("r2", "10.0.0.2"))
                    .when(new StartAccessRulesSync(ID, "sync-1", null))
                    .expectEvents(new AccessRulesSyncStarted(ID, "sync-1", List.of("r1", "r2")))
                    .expectScheduledDeadlineOfType(Duration.ofMinutes(5), ShareDeadlines.SyncTimeout.class)
                    .expectResultMessagePayloadMatching(answer("a batch of two APPLYING rules",
                            r -> r instanceof ShareResponse.SyncBatch b && b.rules().size() == 2
                                    && b.rules().stream().allMatch(rule -> rule.state() == AccessRuleState.APPLYING)));
        }

        @Test
        void aSecondSyncWhileOneRunsIsRefused() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"),
                            new AccessRulesSyncStarted(ID, "sync-1", List.of("r1")))
                    .when(new StartAccessRulesSync(ID, "sync-2", null))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void aSyncWithNothingQueuedAddsNothing() {
            fixture.given(created(), available())
                    .when(new StartAccessRulesSync(ID, "sync-1", null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void theResultActivatesAppliedRulesAndRemovesDeniedOnes() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"), allowed("r2", "10.0.0.2"),
                            new AccessRulesSyncStarted(ID, "sync-1", List.of("r1", "r2")),
                            new AccessRulesSyncSettled(ID, "sync-1", Map.of("r1", RuleOutcome.OK, "r2", RuleOutcome.OK)),
                            new AccessRuleDenyQueued(ID, "r2"), allowed("r3", "10.0.0.3"),
                            new AccessRulesSyncStarted(ID, "sync-2", List.of("r2", "r3")))
                    .when(new SettleAccessRulesSync(ID, "sync-2", Map.of("r2", RuleOutcome.OK, "r3", RuleOutcome.ERROR), null))
                    .expectEvents(new AccessRulesSyncSettled(ID, "sync-2", Map.of("r2", RuleOutcome.OK, "r3", RuleOutcome.ERROR)))
                    .expectResultMessagePayloadMatching(answer("r1 ACTIVE, r2 gone, r3 in ERROR",
                            r -> r instanceof ShareResponse s && s.accessRulesStatus() == AccessRulesStatus.ERROR
                                    && s.accessRules().equals(List.of(
                                    new ShareResponse.RuleView("r1", AccessType.IP, "10.0.0.1", AccessLevel.RW,
                                            AccessRuleState.ACTIVE),
                                    new ShareResponse.RuleView("r3", AccessType.IP, "10.0.0.3", AccessLevel.RW,
                                            AccessRuleState.ERROR)))));
        }

        @Test
        void aResultThatLeavesOutARuleOfTheBatchIsInvalid() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"), allowed("r2", "10.0.0.2"),
                            new AccessRulesSyncStarted(ID, "sync-1", List.of("r1", "r2")))
                    .when(new SettleAccessRulesSync(ID, "sync-1", Map.of("r1", RuleOutcome.OK), null))
                    .expectException(Rejected.with(Reason.VALIDATION))
                    .expectNoEvents();
        }

        @Test
        void aResultForASyncThatIsNotRunningIsStaleAndARepeatIsAnswered() {
            List<Object> settled = List.of(created(), available(), allowed("r1", "10.0.0.1"),
                    new AccessRulesSyncStarted(ID, "sync-1", List.of("r1")),
                    new AccessRulesSyncSettled(ID, "sync-1", Map.of("r1", RuleOutcome.OK)));
            fixture.given(settled)
                    .when(new SettleAccessRulesSync(ID, "sync-9", Map.of("r1", RuleOutcome.OK), null))
                    .expectException(Rejected.with(Reason.STALE_TASK));
            setUp();
            fixture.given(settled)
                    .when(new SettleAccessRulesSync(ID, "sync-1", Map.of("r1", RuleOutcome.OK), null))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aSyncTheAgentNeverSettlesTimesOutToError() {
            fixture.given(created(), available(), allowed("r1", "10.0.0.1"))
                    .andGivenCommands(new StartAccessRulesSync(ID, "sync-1", null))
                    .whenTimeElapses(Duration.ofMinutes(5))
                    .expectEvents(new AccessRulesSyncTimedOut(ID, "sync-1", "PT5M"));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Admin reset and tenancy
    // ---------------------------------------------------------------------------------------

    @Nested
    class ResetAndTenancy {

        @Test
        void anAdminResetsAnErrorStatus() {
            fixture.given(in(EXTENDING_ERROR))
                    .when(admin(RESET_STATUS, Map.of("status", "AVAILABLE", "force", "false")))
                    .expectEvents(new ShareStatusReset(ID, AVAILABLE, false, null, null, null));
        }

        @Test
        void aResetOfAStatusThatIsNoErrorNeedsForce() {
            fixture.given(in(AVAILABLE))
                    .when(admin(RESET_STATUS, Map.of("status", "ERROR", "force", "false")))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
            setUp();
            fixture.given(plus(in(AVAILABLE), snapshotStarted(SNAP, TASK)))
                    .when(admin(RESET_STATUS, Map.of("status", "ERROR", "force", "true")))
                    .expectEvents(new ShareStatusReset(ID, ERROR, true, TASK, SNAP, SnapshotStatus.ERROR));
        }

        @Test
        void aMemberMayNotReset() {
            fixture.given(in(ERROR))
                    .when(new RequestShareAction(ID, RESET_STATUS, TASK, null, null, null,
                            Map.of("status", "AVAILABLE", "force", "false"), TENANT, false, null))
                    .expectException(Rejected.with(Reason.INVALID_STATE))
                    .expectNoEvents();
        }

        @Test
        void anotherTenantsShareIsNotFound() {
            fixture.given(in(AVAILABLE))
                    .when(new RequestShareAction(ID, EXTEND, TASK, null, null, 20L, Map.of(), "globex", false, null))
                    .expectException(Rejected.with(Reason.NOT_FOUND))
                    .expectNoEvents();
        }
    }

    static org.hamcrest.Matcher<Object> status(ShareStatus status) {
        return answer("status " + status, r -> r instanceof ShareResponse s && s.status() == status);
    }

    /** Records have no bean getters, so hamcrest's hasProperty cannot read them. */
    static org.hamcrest.Matcher<Object> answer(String what, java.util.function.Predicate<Object> test) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object item) {
                return test.test(item);
            }

            @Override
            public void describeTo(org.hamcrest.Description description) {
                description.appendText(what);
            }
        };
    }

    @SuppressWarnings("unused")
    private static List<EventMessage<?>> none() {
        return List.of();
    }
}
