package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.replacement.ReplacementCommands.AddReplacementStep;
import io.interlock.command.replacement.ReplacementCommands.CheckStepMayBeAdded;
import io.interlock.command.replacement.ReplacementCommands.CreateReplacement;
import io.interlock.command.replacement.ReplacementCommands.DescribeReplacement;
import io.interlock.command.replacement.ReplacementCommands.StepLock;
import io.interlock.command.replacement.ReplacementStatus;
import io.interlock.command.volume.LockAnswer;
import io.interlock.command.volume.VolumeCommands.AcquireRepairLock;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.command.volume.VolumeStatus;
import io.interlock.lifecycle.Rejection;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepState;
import io.interlock.volume.DeletionStatus;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When the process gives a repair lock back, and when it must not: interleavings that two
 * replicas produce only by chance, scripted here so each one is certain to be tested.
 */
class ReplacementProcessTest {

    private static final String R = "r-1";
    private static final String V = "vol-1";

    /** Answers each command from a script and remembers what was sent. */
    private static final class ScriptedCommands extends CommandDispatcher {
        final List<Object> sent = new ArrayList<>();
        private final Function<Object, Object> script;

        ScriptedCommands(Function<Object, Object> script) {
            super(null, 1);
            this.script = script;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> R send(Object command) {
            sent.add(command);
            Object answer = script.apply(command);
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (R) answer;
        }

        boolean released() {
            return sent.stream().anyMatch(c -> c instanceof ReleaseRepairLock);
        }
    }

    private static LockAnswer lock(boolean taken, String holder) {
        return new LockAnswer(new VolumeStatus(V, DeletionStatus.ACTIVE, holder, 1), taken);
    }

    private static ReplacementStatus request(String snapshotVolumeId, RequestState state, StepState step) {
        return new ReplacementStatus(R, state, null, "rs", snapshotVolumeId, null, null, null, false,
                step == null ? List.of() : List.of(new ReplacementStatus.StepStatus(V, step, null)), null, 4);
    }

    @Test
    void aCreateThatLosesToAnIdenticalCreateLeavesTheLockToTheWinner() {
        ScriptedCommands commands = new ScriptedCommands(c -> {
            if (c instanceof AcquireRepairLock) {
                return lock(true, RepairLockHolders.request(R));
            }
            if (c instanceof CreateReplacement) {
                return new AggregateStreamCreationException("exists");
            }
            if (c instanceof DescribeReplacement) {
                return request(V, RequestState.REQUESTED, null);
            }
            return null;
        });

        assertThatThrownBy(() -> new ReplacementProcess(commands).request(R, "rs", V))
                .isInstanceOf(AggregateStreamCreationException.class);
        assertThat(commands.released()).isFalse();
    }

    @Test
    void aCreateWhoseIdIsTakenByARequestForAnotherVolumeGivesTheLockBack() {
        ScriptedCommands commands = new ScriptedCommands(c -> {
            if (c instanceof AcquireRepairLock) {
                return lock(true, RepairLockHolders.request(R));
            }
            if (c instanceof CreateReplacement) {
                return new AggregateStreamCreationException("exists");
            }
            if (c instanceof DescribeReplacement) {
                return request("vol-other", RequestState.RUNNING, null);
            }
            return null;
        });

        assertThatThrownBy(() -> new ReplacementProcess(commands).request(R, "rs", V));
        assertThat(commands.sent).contains(new ReleaseRepairLock(V, RepairLockHolders.request(R)));
    }

    @Test
    void aLockTheCreateDidNotTakeIsNeverGivenBack() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? lock(false, RepairLockHolders.request(R))
                : c instanceof CreateReplacement ? new AggregateStreamCreationException("exists") : null);

        assertThatThrownBy(() -> new ReplacementProcess(commands).request(R, "rs", V));
        assertThat(commands.released()).isFalse();
    }

    @Test
    void aStepTheRequestRefusesTakesNoLock() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof CheckStepMayBeAdded
                ? new Rejection(Rejection.Reason.NOT_FOUND, "replacement", R, null, Map.of(), null, false, "none")
                : lock(true, RepairLockHolders.step(R, V)));

        assertThatThrownBy(() -> new ReplacementProcess(commands).addStep(R, V, null)).isInstanceOf(Rejection.class);
        assertThat(commands.sent).noneMatch(c -> c instanceof AcquireRepairLock || c instanceof AddReplacementStep);
    }

    @Test
    void aStepThatCouldNotBeAddedGivesItsLockBack() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? lock(true, RepairLockHolders.step(R, V))
                : c instanceof AddReplacementStep
                ? new Rejection(Rejection.Reason.INVALID_STATE, "replacement", R, "add-step", Map.of(), 3L, false, "no")
                : null);

        assertThatThrownBy(() -> new ReplacementProcess(commands).addStep(R, V, null)).isInstanceOf(Rejection.class);
        assertThat(commands.sent).contains(new ReleaseRepairLock(V, RepairLockHolders.step(R, V)));
    }

    @Test
    void aStepAlreadyHeldByThisRequestsLiveStepKeepsItsLock() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? lock(false, RepairLockHolders.step(R, V))
                : request("snap", RequestState.RUNNING, StepState.RUNNING));

        new ReplacementProcess(commands).addStep(R, V, null);

        assertThat(commands.released()).isFalse();
    }

    @Test
    void aStepSkippedBecauseItsStepAlreadyEndedGivesTheNewLockBack() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? lock(true, RepairLockHolders.step(R, V))
                : request("snap", RequestState.RUNNING, StepState.COMPLETE));

        new ReplacementProcess(commands).addStep(R, V, null);

        assertThat(commands.sent).contains(new ReleaseRepairLock(V, RepairLockHolders.step(R, V)));
    }

    @Test
    void aDeletedVolumeIsAskedToBeSkippedAndNoLockIsGivenBack() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? new Rejection(Rejection.Reason.LOCK_HELD, "volume", V, "acquire-repair-lock",
                Map.of("deletionStatus", DeletionStatus.SOFT_DELETED), 2L, false, "deleted")
                : request("snap", RequestState.RUNNING, null));

        new ReplacementProcess(commands).addStep(R, V, null);

        assertThat(commands.sent).contains(new AddReplacementStep(R, V, StepLock.VOLUME_DELETED));
        assertThat(commands.released()).isFalse();
    }

    @Test
    void aVolumeHeldByAnotherRequestsStepIsAskedToBeSkipped() {
        ScriptedCommands commands = new ScriptedCommands(c -> c instanceof AcquireRepairLock
                ? new Rejection(Rejection.Reason.LOCK_HELD, "volume", V, "acquire-repair-lock",
                Map.of("deletionStatus", DeletionStatus.ACTIVE, "lockHolder", RepairLockHolders.step("r-2", V)),
                2L, true, "held")
                : request("snap", RequestState.RUNNING, null));

        new ReplacementProcess(commands).addStep(R, V, null);

        assertThat(commands.sent).contains(new AddReplacementStep(R, V, StepLock.HELD_BY_ANOTHER_STEP));
        assertThat(commands.released()).isFalse();
    }
}
