package io.interlock.volume;

/** What happened to volumes: registration, deletion, and who took or gave back the repair lock. */
public final class VolumeEvents {

    private VolumeEvents() {
    }

    /** Every volume event; the fold in {@link VolumeState} accepts exactly these. */
    public sealed interface VolumeEvent permits VolumeRegistered, VolumeDeleted, VolumeRepairLockAcquired,
            VolumeRepairLockReleased {
        String volumeId();
    }

    public record VolumeRegistered(String volumeId) implements VolumeEvent {
    }

    /**
     * The volume was soft- or hard-deleted. {@code lockHolder} is who held its repair lock at that
     * moment, so the deletion process knows which replacement step to settle without a read model.
     */
    public record VolumeDeleted(String volumeId, DeletionStatus deletionStatus, String lockHolder)
            implements VolumeEvent {
    }

    public record VolumeRepairLockAcquired(String volumeId, String holder) implements VolumeEvent {
    }

    public record VolumeRepairLockReleased(String volumeId, String holder) implements VolumeEvent {
    }
}
