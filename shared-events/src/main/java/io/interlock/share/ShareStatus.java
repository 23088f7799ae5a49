package io.interlock.share;

import java.util.EnumSet;
import java.util.Set;

/**
 * A share's status. The {@code -ING} statuses are transitional: one operation runs
 * and every action the table does not allow from there is refused. The {@code ERROR} statuses are
 * where failures land; an admin's reset-status leads out of them.
 */
public enum ShareStatus {
    CREATING, CREATING_FROM_SNAPSHOT, AVAILABLE, SNAPSHOTTING, DELETING, DELETED,
    ERROR, ERROR_DELETING, EXTENDING, EXTENDING_ERROR, SHRINKING, SHRINKING_ERROR,
    SHRINKING_POSSIBLE_DATA_LOSS_ERROR, MIGRATING, MANAGE_STARTING, MANAGE_ERROR, UNMANAGE_STARTING,
    UNMANAGE_ERROR, UNMANAGED, REVERTING, REVERTING_ERROR;

    public static final Set<ShareStatus> TRANSITIONAL = EnumSet.of(CREATING, CREATING_FROM_SNAPSHOT, SNAPSHOTTING,
            DELETING, EXTENDING, SHRINKING, MIGRATING, MANAGE_STARTING, UNMANAGE_STARTING, REVERTING);

    public static final Set<ShareStatus> ERRORS = EnumSet.of(ERROR, ERROR_DELETING, EXTENDING_ERROR, SHRINKING_ERROR,
            SHRINKING_POSSIBLE_DATA_LOSS_ERROR, MANAGE_ERROR, UNMANAGE_ERROR, REVERTING_ERROR);

    public boolean transitional() {
        return TRANSITIONAL.contains(this);
    }

    public boolean error() {
        return ERRORS.contains(this);
    }
}
