package io.interlock.replacement;

import io.interlock.replacement.ReplacementEvents.ReplacementEvent;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.ReplacementEvents.ReplacementStepVolumeDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTargetDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A replacement request's state, with its steps, and the one pure fold that produces it.
 *
 * @param operatingSagaId the saga holding the request (the state-based lock), or null
 * @param lastAction      the last transition made, with {@code lastSagaId}: a retrying saga that
 *                        repeats it gets 200 and no new event
 * @param steps           by volume id, in the order they were added
 */
public record ReplacementState(
        String requestId,
        String regionSnapshotId,
        String snapshotVolumeId,
        RequestState state,
        String operatingSagaId,
        String newRegionId,
        String newRegionVolumeId,
        String oldSnapshotVolumeId,
        boolean targetDeleted,
        Map<String, Step> steps,
        ReplacementAction lastAction,
        String lastSagaId) {

    /** One step: a volume that still references the old region snapshot. */
    public record Step(String volumeId, StepState state, String operatingSagaId, StepAction lastAction,
                       String lastSagaId) {
    }

    public static final ReplacementState NONE = new ReplacementState(null, null, null, null, null, null, null, null,
            false, Map.of(), null, null);

    public boolean stepsSettled() {
        return steps.values().stream().allMatch(step -> step.state() == StepState.VOLUME_DELETED);
    }

    public static ReplacementState evolve(ReplacementState state, ReplacementEvent event) {
        ReplacementState s = state == null ? NONE : state;
        if (event instanceof ReplacementRequested e) {
            return new ReplacementState(e.requestId(), e.regionSnapshotId(), e.snapshotVolumeId(),
                    RequestState.REQUESTED, null, null, null, null, false, Map.of(), null, null);
        }
        if (event instanceof ReplacementTransitioned e) {
            Map<String, String> p = e.parameters() == null ? Map.of() : e.parameters();
            return new ReplacementState(s.requestId, s.regionSnapshotId, s.snapshotVolumeId, e.state(),
                    e.operatingSagaId(), p.getOrDefault("newRegionId", s.newRegionId),
                    p.getOrDefault("newRegionVolumeId", s.newRegionVolumeId),
                    p.getOrDefault("oldSnapshotVolumeId", s.oldSnapshotVolumeId), s.targetDeleted, s.steps,
                    e.action(), e.sagaId());
        }
        if (event instanceof ReplacementTargetDeleted) {
            return new ReplacementState(s.requestId, s.regionSnapshotId, s.snapshotVolumeId, s.state,
                    s.operatingSagaId, s.newRegionId, s.newRegionVolumeId, s.oldSnapshotVolumeId, true, s.steps,
                    s.lastAction, s.lastSagaId);
        }
        if (event instanceof ReplacementStepAdded e) {
            return s.withStep(new Step(e.volumeId(), StepState.REQUESTED, null, null, null));
        }
        if (event instanceof ReplacementStepTransitioned e) {
            return s.withStep(new Step(e.volumeId(), e.state(), e.operatingSagaId(), e.action(), e.sagaId()));
        }
        if (event instanceof ReplacementStepVolumeDeleted e) {
            return s.withStep(new Step(e.volumeId(), StepState.VOLUME_DELETED, null, null, null));
        }
        throw new IllegalArgumentException("Not a replacement event: " + event);
    }

    private ReplacementState withStep(Step step) {
        Map<String, Step> next = new LinkedHashMap<>(steps);
        next.put(step.volumeId(), step);
        return new ReplacementState(requestId, regionSnapshotId, snapshotVolumeId, state, operatingSagaId,
                newRegionId, newRegionVolumeId, oldSnapshotVolumeId, targetDeleted,
                Collections.unmodifiableMap(next), lastAction, lastSagaId);
    }
}
