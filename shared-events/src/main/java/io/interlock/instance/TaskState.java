package io.interlock.instance;

/**
 * The operation an instance is busy with; null when idle. Any non-null task makes the instance
 * transitional: only actions whose row names this task may run.
 */
public enum TaskState {
    SPAWNING, POWERING_ON, POWERING_OFF, REBOOTING, REBOOTING_HARD, REBUILDING, RESIZE_PREP,
    RESIZE_CONFIRMING, RESIZE_REVERTING, SHELVING, SHELVING_OFFLOADING, UNSHELVING, PAUSING,
    UNPAUSING, SUSPENDING, RESUMING, RESCUING, UNRESCUING, UPDATING_PASSWORD, MIGRATING,
    IMAGE_SNAPSHOT, IMAGE_BACKUP, SOFT_DELETING, RESTORING, DELETING
}
