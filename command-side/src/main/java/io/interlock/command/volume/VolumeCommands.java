package io.interlock.command.volume;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * What callers and processes ask of volumes. The repair lock is taken and given back only by the
 * replacement process ({@code process/}); {@code holder} names the request or step.
 */
public final class VolumeCommands {

    private VolumeCommands() {
    }

    public record RegisterVolume(@TargetAggregateIdentifier String volumeId) {
    }

    public record DeleteVolume(@TargetAggregateIdentifier String volumeId, boolean hard,
                               @TargetAggregateVersion Long expectedVersion) {
    }

    /** Answered with a {@link LockAnswer}; refused with lock-held for another holder or a deleted volume. */
    public record AcquireRepairLock(@TargetAggregateIdentifier String volumeId, String holder) {
    }

    /** Gives the lock back if {@code holder} has it; otherwise there is nothing to do. */
    public record ReleaseRepairLock(@TargetAggregateIdentifier String volumeId, String holder) {
    }
}
