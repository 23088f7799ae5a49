package io.interlock.replacement;

/**
 * Where one step of a replacement request is: one step per volume that still references the old
 * region snapshot. RUNNING is held by the saga that began it. A REQUESTED or RUNNING step holds
 * its volume's repair lock.
 */
public enum StepState {
    REQUESTED, RUNNING, COMPLETE, VOLUME_DELETED;

    public boolean holdsLock() {
        return this == REQUESTED || this == RUNNING;
    }
}
