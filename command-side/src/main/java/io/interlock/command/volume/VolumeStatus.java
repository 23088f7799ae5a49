package io.interlock.command.volume;

import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeState;

/** What every volume command answers: the id, every state field, and the version. */
public record VolumeStatus(String id, DeletionStatus deletionStatus, String lockHolder, long version) {

    static VolumeStatus of(VolumeState state, long version) {
        return new VolumeStatus(state.volumeId(), state.deletionStatus(), state.lockHolder(), version);
    }
}
