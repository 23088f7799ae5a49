package io.interlock.query.volume;

import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeState;

import java.time.Instant;
import java.util.List;

/**
 * One volume as dashboards see it: its deletion status, who holds its repair lock and since when,
 * the version, and what may be asked of it now. Volumes have no transition table: the only action
 * a caller can ask is {@code delete}, allowed while deletion can still deepen (the repair lock has
 * no endpoint of its own; replacement work takes it).
 */
public record VolumeView(String id, DeletionStatus deletionStatus, String lockHolder, boolean locked,
                         Instant lockedSince, List<String> allowedActions, long version, Instant updatedAt) {

    static VolumeView of(VolumeState state, long version, Instant at, Instant lockedSince) {
        boolean locked = state.lockHolder() != null;
        List<String> allowed = state.deletionStatus().afterDelete(true) != null ? List.of("delete") : List.of();
        return new VolumeView(state.volumeId(), state.deletionStatus(), state.lockHolder(), locked,
                locked ? lockedSince : null, allowed, version, at);
    }
}
