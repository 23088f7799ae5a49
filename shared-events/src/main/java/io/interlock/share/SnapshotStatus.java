package io.interlock.share;

/** A snapshot's own status inside its share. */
public enum SnapshotStatus {
    CREATING, AVAILABLE, DELETING, DELETED, ERROR, ERROR_DELETING, RESTORING;

    /** Every snapshot that is not DELETED keeps its share from being deleted, migrated or unmanaged. */
    public boolean live() {
        return this != DELETED;
    }
}
