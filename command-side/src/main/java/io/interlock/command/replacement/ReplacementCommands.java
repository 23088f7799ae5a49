package io.interlock.command.replacement;

import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.StepAction;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

import java.util.Map;

/**
 * What callers and processes ask of replacement requests. Creating a request and adding a step
 * go through {@code process/ReplacementProcess}, which takes the volume's repair lock first.
 */
public final class ReplacementCommands {

    private ReplacementCommands() {
    }

    /** Sent only once the repair lock on {@code snapshotVolumeId} is held for this request. */
    public record CreateReplacement(@TargetAggregateIdentifier String requestId, String regionSnapshotId,
                                    String snapshotVolumeId) {
    }

    public record TransitionReplacement(@TargetAggregateIdentifier String requestId, ReplacementAction action,
                                        String sagaId, Map<String, String> parameters,
                                        @TargetAggregateVersion Long expectedVersion) {
        public TransitionReplacement {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }
    }

    public record ReportTargetDeleted(@TargetAggregateIdentifier String requestId,
                                      @TargetAggregateVersion Long expectedVersion) {
    }

    /** What the process learned when it asked for the step volume's repair lock. */
    public enum StepLock {
        /** the lock is held for this step */
        HELD,
        /** the volume is soft- or hard-deleted */
        VOLUME_DELETED,
        /** a REQUESTED or RUNNING step of another request holds the volume */
        HELD_BY_ANOTHER_STEP
    }

    public record AddReplacementStep(@TargetAggregateIdentifier String requestId, String volumeId, StepLock lock) {
    }

    public record TransitionReplacementStep(@TargetAggregateIdentifier String requestId, String volumeId,
                                            StepAction action, String sagaId,
                                            @TargetAggregateVersion Long expectedVersion) {
    }

    /** Answers the request's status and changes nothing; the process asks it after a lost create race. */
    public record DescribeReplacement(@TargetAggregateIdentifier String requestId) {
    }

    /**
     * Changes nothing, and is refused exactly as adding a step would be (no such request, not
     * RUNNING, a stale {@code If-Match}): the process asks it before it takes the step volume's
     * lock, so a step that cannot be added leaves no lock taken and given back in the store.
     */
    public record CheckStepMayBeAdded(@TargetAggregateIdentifier String requestId,
                                      @TargetAggregateVersion Long expectedVersion) {
    }

    /** The step's volume was deleted: a REQUESTED step goes straight to VOLUME_DELETED. */
    public record MarkStepVolumeDeleted(@TargetAggregateIdentifier String requestId, String volumeId) {
    }
}
