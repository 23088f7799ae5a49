package io.interlock.share;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happened to shares, their snapshots, read leases and access rules. Each event carries the
 * ids, the resulting statuses and the reason a reader of the audit trail needs; who asked travels
 * in the event's metadata.
 */
public final class ShareEvents {

    private ShareEvents() {
    }

    /** Every share event; the fold in {@link ShareState} accepts exactly these. */
    public sealed interface ShareEvent permits ShareCreated, ShareCreatedFromSnapshot, ShareManageStarted,
            ShareTaskStarted, ShareTaskCompleted, ShareTaskFailed, ShareTaskTimedOut, ShareStatusReset,
            SnapshotLeaseAcquired, SnapshotLeaseReleased, SnapshotLeaseExpired, AccessRuleAllowed,
            AccessRuleDenyQueued, AccessRulesSyncStarted, AccessRulesSyncSettled, AccessRulesSyncTimedOut {
        String shareId();
    }

    /** Creation starts the CREATING task the agent reports on. */
    public record ShareCreated(String shareId, String tenant, long size, String protocol, String taskId)
            implements ShareEvent {
    }

    /**
     * A share created from another share's snapshot; the read lease it holds on that snapshot was
     * acquired (on the source share) before this event.
     */
    public record ShareCreatedFromSnapshot(String shareId, String tenant, long size, String protocol,
                                           String sourceShareId, String snapshotId, String taskId)
            implements ShareEvent {
    }

    /** An existing export brought under management; the path was claimed for this share. */
    public record ShareManageStarted(String shareId, String tenant, long size, String protocol, String exportPath,
                                     String taskId) implements ShareEvent {
    }

    /**
     * A task began. Where success and failure lead is resolved from the table when it starts, so
     * the audit trail shows where it was headed. A null share status means the share's status does
     * not change (a snapshot deletion); a null snapshot id means no snapshot is involved.
     */
    public record ShareTaskStarted(String shareId, ShareAction action, String taskId, ShareStatus status,
                                   ShareStatus successStatus, ShareStatus failureStatus, ShareStatus dataLossStatus,
                                   String snapshotId, String snapshotName, SnapshotStatus snapshotStatus,
                                   SnapshotStatus snapshotSuccess, SnapshotStatus snapshotFailure, Long newSize,
                                   Map<String, String> parameters) implements ShareEvent {
    }

    /** @param size the share's size afterwards (changed by extend, shrink and revert) */
    public record ShareTaskCompleted(String shareId, ShareAction action, String taskId, ShareStatus status,
                                     String snapshotId, SnapshotStatus snapshotStatus, long size)
            implements ShareEvent {
    }

    /** @param possibleDataLoss the agent said a failed shrink may have lost data */
    public record ShareTaskFailed(String shareId, ShareAction action, String taskId, ShareStatus status,
                                  String snapshotId, SnapshotStatus snapshotStatus, String reason,
                                  boolean possibleDataLoss) implements ShareEvent {
    }

    /** The durable deadline fired while the task was still current. */
    public record ShareTaskTimedOut(String shareId, ShareAction action, String taskId, ShareStatus status,
                                    String snapshotId, SnapshotStatus snapshotStatus, String timeout)
            implements ShareEvent {
    }

    /**
     * An admin set the status. The share's running task, if any, is cleared (its reports become
     * stale) and a snapshot it involved lands where that task's failure would have left it.
     */
    public record ShareStatusReset(String shareId, ShareStatus status, boolean forced, String clearedTaskId,
                                   String snapshotId, SnapshotStatus snapshotStatus) implements ShareEvent {
    }

    /** A read lease on a snapshot, held by {@code owner} (the share created from it) until released or expired. */
    public record SnapshotLeaseAcquired(String shareId, String snapshotId, String owner, String leaseId,
                                        Instant expiresAt) implements ShareEvent {
    }

    public record SnapshotLeaseReleased(String shareId, String snapshotId, String owner, String leaseId)
            implements ShareEvent {
    }

    /** The lease's own durable expiry fired before anyone released it. */
    public record SnapshotLeaseExpired(String shareId, String snapshotId, String owner, String leaseId)
            implements ShareEvent {
    }

    /** A rule queued to be applied by the agent. */
    public record AccessRuleAllowed(String shareId, String ruleId, AccessType accessType, String accessTo,
                                    AccessLevel level) implements ShareEvent {
    }

    /** A rule queued to be denied; it disappears once the agent applied the deny. */
    public record AccessRuleDenyQueued(String shareId, String ruleId) implements ShareEvent {
    }

    /** The agent claimed these queued rules. */
    public record AccessRulesSyncStarted(String shareId, String syncId, List<String> ruleIds) implements ShareEvent {
    }

    public record AccessRulesSyncSettled(String shareId, String syncId, Map<String, RuleOutcome> results)
            implements ShareEvent {
    }

    /** The sync's deadline fired before the agent reported: its claimed rules are in ERROR. */
    public record AccessRulesSyncTimedOut(String shareId, String syncId, String timeout) implements ShareEvent {
    }
}
