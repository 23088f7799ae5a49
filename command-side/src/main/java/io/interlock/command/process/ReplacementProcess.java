package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.replacement.ReplacementCommands.AddReplacementStep;
import io.interlock.command.replacement.ReplacementCommands.CreateReplacement;
import io.interlock.command.replacement.ReplacementCommands.CheckStepMayBeAdded;
import io.interlock.command.replacement.ReplacementCommands.DescribeReplacement;
import io.interlock.command.replacement.ReplacementCommands.StepLock;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacement;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacementStep;
import io.interlock.command.replacement.ReplacementStatus;
import io.interlock.command.volume.LockAnswer;
import io.interlock.command.volume.VolumeCommands.AcquireRepairLock;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.lifecycle.Rejection;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepAction;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.stereotype.Component;

/**
 * The replacement work that spans two aggregates: a volume's repair lock and the request or step
 * it guards. The lock is always taken first, so two requests never both believe they hold a
 * volume; when the guarded change then fails, a lock this call took is given back.
 *
 * <p>Giving the lock back after finish-completing or a step's complete runs on every successful
 * answer, repeats included: a saga that crashed between the two commands heals the lock by
 * retrying its transition, which it must do anyway.
 */
@Component
public class ReplacementProcess {

    private final CommandDispatcher commands;

    public ReplacementProcess(CommandDispatcher commands) {
        this.commands = commands;
    }

    public ReplacementStatus request(String requestId, String regionSnapshotId, String snapshotVolumeId) {
        String holder = RepairLockHolders.request(requestId);
        LockAnswer lock = commands.send(new AcquireRepairLock(snapshotVolumeId, holder));
        try {
            commands.send(new CreateReplacement(requestId, regionSnapshotId, snapshotVolumeId));
        } catch (RuntimeException e) {
            if (lock.taken() && !existingRequestHolds(requestId, snapshotVolumeId)) {
                commands.send(new ReleaseRepairLock(snapshotVolumeId, holder));
            }
            throw e;
        }
        return ReplacementStatus.requested(requestId, regionSnapshotId, snapshotVolumeId);
    }

    /**
     * Two identical creates can race: one takes the lock, the other finds it already held under
     * the same name and creates the request first. The one that took the lock must then leave it
     * to the request that won, not give it back.
     */
    private boolean existingRequestHolds(String requestId, String snapshotVolumeId) {
        try {
            ReplacementStatus existing = commands.send(new DescribeReplacement(requestId));
            return snapshotVolumeId.equals(existing.snapshotVolumeId()) && existing.state() != RequestState.COMPLETE;
        } catch (AggregateNotFoundException | CommandExecutionException notCreated) {
            return false;
        }
    }

    public ReplacementStatus addStep(String requestId, String volumeId, Long expectedVersion) {
        commands.send(new CheckStepMayBeAdded(requestId, expectedVersion));
        String holder = RepairLockHolders.step(requestId, volumeId);
        StepLock lock = stepLock(volumeId, holder);
        ReplacementStatus status;
        try {
            status = commands.send(new AddReplacementStep(requestId, volumeId, lock));
        } catch (RuntimeException e) {
            if (lock == StepLock.HELD) {
                commands.send(new ReleaseRepairLock(volumeId, holder));
            }
            throw e;
        }
        ReplacementStatus.StepStatus step = status.step(volumeId);
        if (lock == StepLock.HELD && (step == null || !step.state().holdsLock())) {
            commands.send(new ReleaseRepairLock(volumeId, holder));
        }
        return status;
    }

    public ReplacementStatus transition(TransitionReplacement command) {
        ReplacementStatus status = commands.send(command);
        boolean completes = command.action() == ReplacementAction.FINISH_COMPLETING
                || command.action() == ReplacementAction.COMPLETE_FROM_REQUESTED;
        if (completes && status.state() == RequestState.COMPLETE) {
            commands.send(new ReleaseRepairLock(status.snapshotVolumeId(), RepairLockHolders.request(status.id())));
        }
        return status;
    }

    public ReplacementStatus stepTransition(TransitionReplacementStep command) {
        ReplacementStatus status = commands.send(command);
        if (command.action() == StepAction.COMPLETE) {
            commands.send(new ReleaseRepairLock(command.volumeId(),
                    RepairLockHolders.step(command.requestId(), command.volumeId())));
        }
        return status;
    }

    /**
     * Takes the volume's lock for the step. A deleted volume, or one a step of another request
     * holds, is not an error for the caller: the request answers that the step was skipped.
     */
    private StepLock stepLock(String volumeId, String holder) {
        try {
            commands.send(new AcquireRepairLock(volumeId, holder));
            return StepLock.HELD;
        } catch (RuntimeException e) {
            Rejection rejection = rejection(e);
            if (rejection == null || rejection.reason() != Rejection.Reason.LOCK_HELD) {
                throw e;
            }
            Object deletion = rejection.state().get("deletionStatus");
            if (deletion != null && !"ACTIVE".equals(deletion.toString())) {
                return StepLock.VOLUME_DELETED;
            }
            Object lockHolder = rejection.state().get("lockHolder");
            if (RepairLockHolders.asStep(lockHolder == null ? null : lockHolder.toString()) != null) {
                return StepLock.HELD_BY_ANOTHER_STEP;
            }
            throw e;
        }
    }

    static Rejection rejection(Throwable e) {
        if (e instanceof Rejection r) {
            return r;
        }
        if (e instanceof CommandExecutionException && e.getCause() instanceof Rejection r) {
            return r;
        }
        return null;
    }
}
