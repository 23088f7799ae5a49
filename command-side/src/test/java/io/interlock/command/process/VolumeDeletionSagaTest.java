package io.interlock.command.process;

import io.interlock.command.gateway.CommandDispatcher;
import io.interlock.command.replacement.ReplacementCommands.MarkStepVolumeDeleted;
import io.interlock.command.replacement.ReplacementStatus;
import io.interlock.command.volume.VolumeCommands.ReleaseRepairLock;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.StepAction;
import io.interlock.replacement.StepState;
import io.interlock.volume.DeletionStatus;
import io.interlock.volume.VolumeEvents.VolumeDeleted;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

/** The volume-deletion saga settles the step that held the deleted volume. */
class VolumeDeletionSagaTest {

    private static final String V = "vol-7";
    private static final String STEP = RepairLockHolders.step("r-1", V);

    private SagaTestFixture<VolumeDeletionSaga> fixture;

    @BeforeEach
    void setUp() {
        fixture = new SagaTestFixture<>(VolumeDeletionSaga.class);
        fixture.registerResource(new CommandDispatcher(
                DefaultCommandGateway.builder().commandBus(fixture.getCommandBus()).build(), 3));
    }

    /** What the replacement answers to MarkStepVolumeDeleted: the step in {@code state}. */
    private void replacementAnswers(StepState state) {
        fixture.setCallbackBehavior((payload, metaData) -> payload instanceof MarkStepVolumeDeleted
                ? new ReplacementStatus("r-1", RequestState.RUNNING, null, "rs-1", "vol-snap", null, null, null,
                false, List.of(new ReplacementStatus.StepStatus(V, state, null)), null, 5)
                : null);
    }

    @Test
    void aRequestedStepIsMarkedVolumeDeletedAndItsLockGivenBack() {
        replacementAnswers(StepState.VOLUME_DELETED);

        fixture.givenNoPriorActivity()
                .whenPublishingA(new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, STEP))
                .expectDispatchedCommands(new MarkStepVolumeDeleted("r-1", V), new ReleaseRepairLock(V, STEP))
                .expectActiveSagas(0);
    }

    @Test
    void aRunningStepKeepsItsLockForItsSagaToComplete() {
        replacementAnswers(StepState.RUNNING);

        fixture.givenNoPriorActivity()
                .whenPublishingA(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, STEP))
                .expectDispatchedCommands(new MarkStepVolumeDeleted("r-1", V))
                .expectActiveSagas(1);
    }

    @Test
    void aRunningStepThatIsUndoneIsSettledThen() {
        replacementAnswers(StepState.RUNNING);
        fixture.givenAPublished(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, STEP));
        replacementAnswers(StepState.VOLUME_DELETED);

        fixture.whenPublishingA(new ReplacementStepTransitioned("r-1", V, StepAction.UNDO, "s-1",
                        StepState.REQUESTED, null))
                .expectDispatchedCommands(new MarkStepVolumeDeleted("r-1", V), new ReleaseRepairLock(V, STEP))
                .expectActiveSagas(0);
    }

    @Test
    void aRunningStepThatCompletesEndsTheSagaWithNothingToDo() {
        replacementAnswers(StepState.RUNNING);
        fixture.givenAPublished(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, STEP));

        fixture.whenPublishingA(new ReplacementStepTransitioned("r-1", V, StepAction.COMPLETE, "s-1",
                        StepState.COMPLETE, null))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }

    @Test
    void aStepOfAnotherRequestForTheSameVolumeIsNotOurs() {
        replacementAnswers(StepState.RUNNING);
        fixture.givenAPublished(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, STEP));

        fixture.whenPublishingA(new ReplacementStepTransitioned("r-2", V, StepAction.UNDO, "s-2",
                        StepState.REQUESTED, null))
                .expectNoDispatchedCommands()
                .expectActiveSagas(1);
    }

    @Test
    void aVolumeHeldByARequestIsLeftToThatRequest() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(new VolumeDeleted(V, DeletionStatus.SOFT_DELETED, RepairLockHolders.request("r-1")))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }

    @Test
    void anUnlockedVolumeNeedsNothing() {
        fixture.givenNoPriorActivity()
                .whenPublishingA(new VolumeDeleted(V, DeletionStatus.HARD_DELETED, null))
                .expectNoDispatchedCommands()
                .expectActiveSagas(0);
    }
}
