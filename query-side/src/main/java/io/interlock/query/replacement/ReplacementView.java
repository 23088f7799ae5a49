package io.interlock.query.replacement;

import io.interlock.replacement.ReplacementState;
import io.interlock.replacement.ReplacementTransitions;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One replacement request as dashboards see it: every state field with its steps, the version to
 * send back in {@code If-Match}, the transitions the shared table allows right now, and when the
 * request entered its current state (how long a saga has held it).
 */
public record ReplacementView(String id, RequestState state, String operatingSagaId, String regionSnapshotId,
                              String snapshotVolumeId, String newRegionId, String newRegionVolumeId,
                              String oldSnapshotVolumeId, boolean targetDeleted, List<StepView> steps,
                              List<String> allowedActions, Instant stateEnteredAt, long version, Instant updatedAt) {

    /** One step, in the order it was added, with the step transitions the table allows now. */
    public record StepView(String volumeId, StepState state, String operatingSagaId, List<String> allowedActions,
                           Instant updatedAt) {
    }

    /**
     * @param previous   the steps as the row showed them before this event, by volume id
     * @param stepTouched the volume whose step this event changed, or null
     */
    static ReplacementView of(ReplacementState state, long version, Instant at, Instant stateEnteredAt,
                              Map<String, StepView> previous, String stepTouched) {
        List<StepView> steps = state.steps().values().stream()
                .map(step -> new StepView(step.volumeId(), step.state(), step.operatingSagaId(),
                        ReplacementTransitions.allowedActions(step),
                        step.volumeId().equals(stepTouched) || !previous.containsKey(step.volumeId()) ? at
                                : previous.get(step.volumeId()).updatedAt()))
                .toList();
        return new ReplacementView(state.requestId(), state.state(), state.operatingSagaId(),
                state.regionSnapshotId(), state.snapshotVolumeId(), state.newRegionId(), state.newRegionVolumeId(),
                state.oldSnapshotVolumeId(), state.targetDeleted(), steps,
                ReplacementTransitions.allowedActions(state), stateEnteredAt, version, at);
    }
}
