package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.process.RepairLockHolders.StepHolder;
import io.interlock.command.replacement.ReplacementCommands.MarkStepVolumeDeleted;
import io.interlock.command.replacement.ReplacementStatus;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.StepState;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.spring.stereotype.Saga;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Deleting a volume settles the replacement step that holds it: a REQUESTED step
 * goes straight to VOLUME_DELETED and the volume's repair lock is given back, so callers never
 * have to. Only a step can be REQUESTED for a volume while holding its lock, and a lock has one
 * holder, so the holder recorded on the deletion event names the one step to settle.
 *
 * <p>A RUNNING step belongs to its saga. If that saga completes it, completing gives the lock
 * back and this saga ends. If it unwinds it, the step is REQUESTED again for a volume that is
 * gone, and this saga settles it then. Every command here is idempotent, so a redelivered event
 * does no harm.
 *
 * <p>The saga is stored in the JPA saga store through Jackson: its state is three strings with
 * accessors; the command dispatcher is injected again on every load and never serialized.
 */
@Saga
public class VolumeDeletionSaga {

    /** The processing group Axon gives this saga; one segment, claimed by one replica at a time. */
    public static final String PROCESSOR = "VolumeDeletionSagaProcessor";

    @Autowired
    private transient CommandDispatcher commands;

    private String volumeId;
    private String requestId;
    private String holder;

    @StartSaga
    @SagaEventHandler(associationProperty = "volumeId")
    public void on(VolumeDeleted event) {
        volumeId = event.volumeId();
        StepHolder step = RepairLockHolders.asStep(event.lockHolder());
        if (step == null) {
            // unlocked, or held by a request: that request gives the lock back when it completes
            SagaLifecycle.end();
            return;
        }
        requestId = step.requestId();
        holder = event.lockHolder();
        settle();
    }

    @SagaEventHandler(associationProperty = "volumeId")
    public void on(ReplacementStepTransitioned event) {
        if (!event.requestId().equals(requestId)) {
            return;
        }
        if (event.state() == StepState.REQUESTED) {
            settle();
        } else if (!event.state().holdsLock()) {
            SagaLifecycle.end();
        }
    }

    private void settle() {
        if (!stepStillHoldsLock()) {
            commands.send(new ReleaseRepairLock(volumeId, holder));
            SagaLifecycle.end();
        }
    }

    private boolean stepStillHoldsLock() {
        ReplacementStatus status;
        try {
            status = commands.send(new MarkStepVolumeDeleted(requestId, volumeId));
        } catch (AggregateNotFoundException noRequest) {
            // the lock was taken for a step of a request that does not exist: nobody needs it
            return false;
        }
        ReplacementStatus.StepStatus settled = status == null ? null : status.step(volumeId);
        return settled != null && settled.state().holdsLock();
    }

    public String getVolumeId() {
        return volumeId;
    }

    public void setVolumeId(String volumeId) {
        this.volumeId = volumeId;
    }

    public String getRequestId() {
        return requestId;
    }

    public void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    public String getHolder() {
        return holder;
    }

    public void setHolder(String holder) {
        this.holder = holder;
    }
}
