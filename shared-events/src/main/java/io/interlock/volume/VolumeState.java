package io.interlock.volume;

import io.interlock.volume.VolumeEvents.VolumeDeleted;
import io.interlock.volume.VolumeEvents.VolumeEvent;
import io.interlock.volume.VolumeEvents.VolumeRegistered;
import io.interlock.volume.VolumeEvents.VolumeRepairLockAcquired;
import io.interlock.volume.VolumeEvents.VolumeRepairLockReleased;

/**
 * A volume's state and the one pure fold that produces it, shared by the aggregate, the
 * projection and the audit view.
 *
 * @param lockHolder who holds the repair lock (a replacement request or step), or null when free
 */
public record VolumeState(String volumeId, DeletionStatus deletionStatus, String lockHolder) {

    public static final VolumeState NONE = new VolumeState(null, null, null);

    public boolean deleted() {
        return deletionStatus != null && deletionStatus.deleted();
    }

    public static VolumeState evolve(VolumeState state, VolumeEvent event) {
        VolumeState s = state == null ? NONE : state;
        if (event instanceof VolumeRegistered e) {
            return new VolumeState(e.volumeId(), DeletionStatus.ACTIVE, null);
        }
        if (event instanceof VolumeDeleted e) {
            return new VolumeState(s.volumeId, e.deletionStatus(), s.lockHolder);
        }
        if (event instanceof VolumeRepairLockAcquired e) {
            return new VolumeState(s.volumeId, s.deletionStatus, e.holder());
        }
        if (event instanceof VolumeRepairLockReleased) {
            return new VolumeState(s.volumeId, s.deletionStatus, null);
        }
        throw new IllegalArgumentException("Not a volume event: " + event);
    }
}
