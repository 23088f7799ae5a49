package io.interlock.share;

import io.interlock.share.ShareEvents.AccessRuleAllowed;
import io.interlock.share.ShareEvents.AccessRuleDenyQueued;
import io.interlock.share.ShareEvents.AccessRulesSyncSettled;
import io.interlock.share.ShareEvents.AccessRulesSyncStarted;
import io.interlock.share.ShareEvents.AccessRulesSyncTimedOut;
import io.interlock.share.ShareEvents.ShareCreated;
import io.interlock.share.ShareEvents.ShareEvent;
import io.interlock.share.ShareEvents.ShareTaskCompleted;
import io.interlock.share.ShareEvents.ShareTaskStarted;
import io.interlock.share.ShareEvents.SnapshotLeaseAcquired;
import io.interlock.share.ShareEvents.SnapshotLeaseExpired;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The share fold, which the aggregate, the projection and the audit view all use. */
class ShareStateTest {

    private static ShareState fold(ShareEvent... events) {
        ShareState state = null;
        for (ShareEvent event : events) {
            state = ShareState.evolve(state, event);
        }
        return state;
    }

    private static ShareTaskStarted snapshotting(String snapshotId, String taskId) {
        return new ShareTaskStarted("s", ShareAction.CREATE_SNAPSHOT, taskId, ShareStatus.SNAPSHOTTING,
                ShareStatus.AVAILABLE, ShareStatus.ERROR, null, snapshotId, "n", SnapshotStatus.CREATING,
                SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, null, Map.of());
    }

    private static ShareTaskCompleted snapshotted(String snapshotId, String taskId) {
        return new ShareTaskCompleted("s", ShareAction.CREATE_SNAPSHOT, taskId, ShareStatus.AVAILABLE, snapshotId,
                SnapshotStatus.AVAILABLE, 10);
    }

    private static final ShareCreated CREATED = new ShareCreated("s", "t", 10, "NFS", "c");
    private static final ShareTaskCompleted AVAILABLE = new ShareTaskCompleted("s", ShareAction.CREATE, "c",
            ShareStatus.AVAILABLE, null, null, 10);

    @Test
    void theLatestSnapshotIsTheLastCreatedThatIsNotDeleted() {
        ShareState state = fold(CREATED, AVAILABLE, snapshotting("a", "t1"), snapshotted("a", "t1"),
                snapshotting("b", "t2"), snapshotted("b", "t2"));
        assertEquals("b", state.latestSnapshotId());
        ShareState deletedB = ShareState.evolve(ShareState.evolve(state, new ShareTaskStarted("s",
                        ShareAction.DELETE_SNAPSHOT, "t3", null, null, null, null, "b", null, SnapshotStatus.DELETING,
                        SnapshotStatus.DELETED, SnapshotStatus.ERROR_DELETING, null, Map.of())),
                new ShareTaskCompleted("s", ShareAction.DELETE_SNAPSHOT, "t3", null, "b", SnapshotStatus.DELETED, 10));
        assertEquals("a", deletedB.latestSnapshotId());
        assertEquals(ShareStatus.AVAILABLE, deletedB.status());
    }

    @Test
    void leasesAreHeldPerOwnerUntilTheyExpire() {
        ShareState state = fold(CREATED, AVAILABLE, snapshotting("a", "t1"), snapshotted("a", "t1"),
                new SnapshotLeaseAcquired("s", "a", "x", "l1", Instant.EPOCH),
                new SnapshotLeaseAcquired("s", "a", "y", "l2", Instant.EPOCH));
        assertEquals(List.of("x", "y"), List.copyOf(state.snapshots().get("a").leases().keySet()));
        state = ShareState.evolve(state, new SnapshotLeaseExpired("s", "a", "x", "l1"));
        assertEquals(List.of("y"), List.copyOf(state.snapshots().get("a").leases().keySet()));
    }

    @Test
    void rulesMoveThroughTheSyncAndTheSummaryFollows() {
        ShareState state = fold(CREATED, AVAILABLE,
                new AccessRuleAllowed("s", "r1", AccessType.IP, "1.1.1.1", AccessLevel.RW),
                new AccessRulesSyncStarted("s", "y1", List.of("r1")));
        assertEquals(AccessRuleState.APPLYING, state.rules().get("r1").state());
        assertEquals(AccessRulesStatus.SYNCING, state.accessRulesStatus());
        state = ShareState.evolve(state, new AccessRulesSyncSettled("s", "y1", Map.of("r1", RuleOutcome.OK)));
        assertEquals(AccessRuleState.ACTIVE, state.rules().get("r1").state());
        assertEquals(AccessRulesStatus.ACTIVE, state.accessRulesStatus());
        assertNull(state.syncId());
        state = fold(CREATED, AVAILABLE, new AccessRuleAllowed("s", "r1", AccessType.IP, "1.1.1.1", AccessLevel.RW),
                new AccessRulesSyncStarted("s", "y1", List.of("r1")), new AccessRulesSyncSettled("s", "y1",
                        Map.of("r1", RuleOutcome.OK)), new AccessRuleDenyQueued("s", "r1"),
                new AccessRulesSyncStarted("s", "y2", List.of("r1")));
        assertEquals(AccessRuleState.DENYING, state.rules().get("r1").state());
        ShareState timedOut = ShareState.evolve(state, new AccessRulesSyncTimedOut("s", "y2", "PT1M"));
        assertEquals(AccessRuleState.ERROR, timedOut.rules().get("r1").state());
        assertEquals(AccessRulesStatus.ERROR, timedOut.accessRulesStatus());
        ShareState denied = ShareState.evolve(state, new AccessRulesSyncSettled("s", "y2", Map.of("r1", RuleOutcome.OK)));
        assertTrue(denied.rules().isEmpty());
        assertTrue(denied.endedSyncs().contains("y2"));
    }

    @Test
    void allowedActionsComeFromTheTable() {
        ShareState available = fold(CREATED, AVAILABLE);
        assertTrue(ShareTransitions.allowedActions(available).containsAll(List.of("delete", "extend", "shrink",
                "create-snapshot", "migrate", "unmanage", "allow-access")));
        assertFalse(ShareTransitions.allowedActions(available).contains("reset-status"));
        ShareState snapshotting = ShareState.evolve(available, snapshotting("a", "t1"));
        assertEquals(List.of(), ShareTransitions.allowedActions(snapshotting));
    }
}
