package io.interlock.command.replacement;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.interlock.replacement.ReplacementState;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;

import java.util.List;

/**
 * What every replacement command answers: the id, every state field with the steps, and the
 * version. {@code skipped} is set only when adding a step was skipped, and says why.
 */
public record ReplacementStatus(String id, RequestState state, String operatingSagaId, String regionSnapshotId,
                                String snapshotVolumeId, String newRegionId, String newRegionVolumeId,
                                String oldSnapshotVolumeId, boolean targetDeleted, List<StepStatus> steps,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String skipped, long version) {

    public record StepStatus(String volumeId, StepState state, String operatingSagaId) {
    }

    public static final String ALREADY_HANDLED = "already handled";
    public static final String VOLUME_DELETED = "volume deleted";

    static ReplacementStatus of(ReplacementState s, long version) {
        return new ReplacementStatus(s.requestId(), s.state(), s.operatingSagaId(), s.regionSnapshotId(),
                s.snapshotVolumeId(), s.newRegionId(), s.newRegionVolumeId(), s.oldSnapshotVolumeId(),
                s.targetDeleted(), s.steps().values().stream()
                .map(step -> new StepStatus(step.volumeId(), step.state(), step.operatingSagaId())).toList(),
                null, version);
    }

    /** The answer for a new request: REQUESTED, no saga, version 0. */
    public static ReplacementStatus requested(String id, String regionSnapshotId, String snapshotVolumeId) {
        return new ReplacementStatus(id, RequestState.REQUESTED, null, regionSnapshotId, snapshotVolumeId, null,
                null, null, false, List.of(), null, 0);
    }

    ReplacementStatus skipped(String reason) {
        return new ReplacementStatus(id, state, operatingSagaId, regionSnapshotId, snapshotVolumeId, newRegionId,
                newRegionVolumeId, oldSnapshotVolumeId, targetDeleted, steps, reason, version);
    }

    /** The step for {@code volumeId}, or null. */
    public StepStatus step(String volumeId) {
        return steps.stream().filter(s -> s.volumeId().equals(volumeId)).findFirst().orElse(null);
    }
}
