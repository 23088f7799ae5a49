package io.interlock.volume;

/**
 * Whether a volume still exists. Deletion only ever moves down this list: a soft
 * delete may later become hard, never the other way round.
 */
public enum DeletionStatus {
    ACTIVE, SOFT_DELETED, HARD_DELETED;

    public boolean deleted() {
        return this != ACTIVE;
    }

    /**
     * Where a delete request leads from here, or null when the volume is already at least that
     * deleted (a repeat, answered without a new event).
     */
    public DeletionStatus afterDelete(boolean hard) {
        DeletionStatus wanted = hard ? HARD_DELETED : SOFT_DELETED;
        return wanted.ordinal() > ordinal() ? wanted : null;
    }
}
