package io.interlock.share;

import java.util.Set;

/**
 * One row of the share table.
 *
 * @param from                 share statuses the action may start from (empty for creations)
 * @param transitional         the share status while the task runs; null when the share's status
 *                             does not change (snapshot deletion) or the action is immediate
 * @param success              the share status when the task completes; null: unchanged
 * @param failure              the share status when the task fails or times out; null: unchanged
 * @param dataLossFailure      where a failure the agent flags as possible data loss leads (shrink)
 * @param snapshotFrom         for actions on one snapshot, the statuses it may be in; null otherwise
 * @param snapshotTransitional the snapshot's status while the task runs
 * @param snapshotSuccess      the snapshot's status when the task completes
 * @param snapshotFailure      the snapshot's status when the task fails or times out
 * @param conditions           the other conditions of the row
 */
public record ShareTransition(
        ShareAction action,
        Set<ShareStatus> from,
        ShareStatus transitional,
        ShareStatus success,
        ShareStatus failure,
        ShareStatus dataLossFailure,
        Set<SnapshotStatus> snapshotFrom,
        SnapshotStatus snapshotTransitional,
        SnapshotStatus snapshotSuccess,
        SnapshotStatus snapshotFailure,
        Set<Condition> conditions) {

    /** The conditions of a row beyond its statuses, named so the table reads like §3.2. */
    public enum Condition {
        /** the action creates the share: its id must be new */
        NEW_ID,
        /** a read lease on the source snapshot is taken first (on the source share) */
        LEASES_SOURCE_SNAPSHOT,
        /** no other share manages the export path */
        UNCLAIMED_EXPORT_PATH,
        /** no snapshot that is not DELETED */
        NO_LIVE_SNAPSHOT,
        /** no active read lease on the snapshot */
        NO_READ_LEASE,
        /** the snapshot is the latest one that is not DELETED */
        LATEST_SNAPSHOT,
        /** every access rule is ACTIVE */
        RULES_ACTIVE,
        /** newSize is larger than size */
        GROWS,
        /** newSize is smaller than size */
        SHRINKS,
        /** only an admin may ask; every error status, or any status when forced */
        ADMIN_ONLY,
        /** no task: the change is made at once */
        IMMEDIATE,
        /** a repeat while the action's own transitional status holds is accepted and adds nothing */
        REPEATABLE
    }

    public boolean has(Condition condition) {
        return conditions.contains(condition);
    }

    public boolean onSnapshot() {
        return snapshotFrom != null;
    }

    public boolean immediate() {
        return has(Condition.IMMEDIATE);
    }
}
