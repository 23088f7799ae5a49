package io.interlock.replacement;

import java.util.Map;

/**
 * What happened to replacement requests and their steps. Transitions share one event each for
 * the request and the step: the table row it made is named by {@code action}, and the event
 * carries the resulting state and operating saga id, so the audit trail reads without the table.
 */
public final class ReplacementEvents {

    private ReplacementEvents() {
    }

    /** Every replacement event; the fold in {@link ReplacementState} accepts exactly these. */
    public sealed interface ReplacementEvent permits ReplacementRequested, ReplacementTransitioned,
            ReplacementTargetDeleted, ReplacementStepAdded, ReplacementStepTransitioned, ReplacementStepVolumeDeleted {
        String requestId();
    }

    /** A request was made; it already holds the repair lock on {@code snapshotVolumeId}. */
    public record ReplacementRequested(String requestId, String regionSnapshotId, String snapshotVolumeId)
            implements ReplacementEvent {
    }

    /**
     * A row of the request table was made by {@code sagaId}. {@code parameters} holds what
     * finish-allocation reports (newRegionId, newRegionVolumeId, oldSnapshotVolumeId).
     */
    public record ReplacementTransitioned(String requestId, ReplacementAction action, String sagaId,
                                          RequestState state, String operatingSagaId, Map<String, String> parameters)
            implements ReplacementEvent {
    }

    /** The old region snapshot's last reference is gone. */
    public record ReplacementTargetDeleted(String requestId) implements ReplacementEvent {
    }

    /** A step for {@code volumeId} was added, REQUESTED, holding the volume's repair lock. */
    public record ReplacementStepAdded(String requestId, String volumeId) implements ReplacementEvent {
    }

    public record ReplacementStepTransitioned(String requestId, String volumeId, StepAction action, String sagaId,
                                              StepState state, String operatingSagaId) implements ReplacementEvent {
    }

    /**
     * The step's volume was deleted while the step was REQUESTED (or before the step was added),
     * so the step goes straight to VOLUME_DELETED; the volume-deletion process sends this.
     */
    public record ReplacementStepVolumeDeleted(String requestId, String volumeId) implements ReplacementEvent {
    }
}
