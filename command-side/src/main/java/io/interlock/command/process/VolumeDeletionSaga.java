package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.process.RepairLockHolders.StepHolder;
import io.interlock.command.replacement.ReplacementCommands.MarkStepVolumeDeleted;
import io.interlock.command.replacement.ReplacementStatus;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Deleting a volume settles the replacement step that holds it (DESIGN §3.4): a REQUESTED step
 * goes straight to VOLUME_DELETED and the volume's repair lock is given back, so callers never
 * have to. Only a step can be REQUESTED for a volume while holding its lock, and only one holder
 * exists, so the holder recorded on the deletion event names the one step to settle.
 *
 * <p>A RUNNING step is left to its saga, which completes it and gives the lock back. Every
 * command here is idempotent, so a redelivered event (a replica that died mid-way, a retry after
 * an error) does no harm. The saga is serialized with Jackson: its state is the volume id.
 */
@Saga
public class VolumeDeletionSaga {

    /** The processing group Axon gives this saga; one segment, claimed by one replica at a time. */
    public static final String PROCESSOR = "VolumeDeletionSagaProcessor";

    @Autowired
    private transient CommandDispatcher commands;

    private String volumeId;

    public String getVolumeId() {
        return volumeId;
    }

    public void setVolumeId(String volumeId) {
        this.volumeId = volumeId;
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "volumeId")
    public void on(VolumeDeleted event) {
        volumeId = event.volumeId();
        StepHolder step = RepairLockHolders.asStep(event.lockHolder());
        if (step != null) {
            if (!stepStillHoldsLock(step)) {
                commands.send(new ReleaseRepairLock(volumeId, event.lockHolder()));
            }
        }
        SagaLifecycle.end();
    }

    private boolean stepStillHoldsLock(StepHolder step) {
        ReplacementStatus status;
        try {
            status = commands.send(new MarkStepVolumeDeleted(step.requestId(), step.volumeId()));
        } catch (AggregateNotFoundException noRequest) {
            // the lock was taken for a request that was never created: nobody needs it
            return false;
        }
        ReplacementStatus.StepStatus settled = status == null ? null : status.step(step.volumeId());
        return settled != null && settled.state().holdsLock();
    }
}
