package io.interlock.command.replacement;

import io.interlock.command.replacement.ReplacementCommands.AddReplacementStep;
import io.interlock.command.replacement.ReplacementCommands.CreateReplacement;
import io.interlock.command.replacement.ReplacementCommands.MarkStepVolumeDeleted;
import io.interlock.command.replacement.ReplacementCommands.ReportTargetDeleted;
import io.interlock.command.replacement.ReplacementCommands.StepLock;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacement;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacementStep;
import io.interlock.lifecycle.Rejection;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.ReplacementEvents.ReplacementStepVolumeDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTargetDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;
import io.interlock.replacement.ReplacementTransitions;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.SagaIdRule;
import io.interlock.replacement.SagaTransition;
import io.interlock.replacement.StepAction;
import io.interlock.replacement.StepState;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.interlock.command.support.Matching.rejected;
import static io.interlock.command.support.Matching.where;
import static io.interlock.replacement.ReplacementAction.*;

/**
 * Every row of the replacement table, walked from the table itself: the right saga
 * id moves the request, a wrong one is lock-held, a wrong state is invalid-state, and a repeat
 * by the same saga adds nothing. Then the unwinds, the completion guard and the steps.
 */
class ReplacementTest {

    private static final String R = "r-1";
    private static final String V = "vol-7";
    private static final String S1 = "saga-1";
    private static final String S2 = "saga-2";
    private static final Map<String, String> ALLOCATED = Map.of("newRegionId", "region-9",
            "newRegionVolumeId", "vol-new", "oldSnapshotVolumeId", "vol-old");

    private AggregateTestFixture<Replacement> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Replacement.class);
    }

    // --- histories -------------------------------------------------------------------------

    private static Map<String, String> parameters(ReplacementAction action) {
        return action == FINISH_ALLOCATION ? ALLOCATED : Map.of();
    }

    private static ReplacementTransitioned made(ReplacementAction action, String sagaId) {
        SagaTransition<ReplacementAction, RequestState> row = ReplacementTransitions.row(action);
        return new ReplacementTransitioned(R, action, sagaId, row.to(),
                row.sagaId() == SagaIdRule.SET ? sagaId : null, parameters(action));
    }

    private static TransitionReplacement ask(ReplacementAction action, String sagaId) {
        return new TransitionReplacement(R, action, sagaId, parameters(action), null);
    }

    /** The events that bring a request to {@code target} along the happy path, driven by S1. */
    private static List<Object> history(RequestState target) {
        List<Object> events = new ArrayList<>(List.of(new ReplacementRequested(R, "rs-1", "vol-snap")));
        List<ReplacementAction> path = List.of(BEGIN_ALLOCATION, FINISH_ALLOCATION, BEGIN_OLD_VOLUME_DELETION,
                FINISH_OLD_VOLUME_DELETION, BEGIN_COMPLETING, FINISH_COMPLETING);
        RequestState at = RequestState.REQUESTED;
        for (ReplacementAction action : path) {
            if (at == target) {
                break;
            }
            if (action == BEGIN_COMPLETING) {
                events.add(new ReplacementTargetDeleted(R));
            }
            events.add(made(action, S1));
            at = ReplacementTransitions.row(action).to();
        }
        return events;
    }

    private static List<Object> history(RequestState target, Object... more) {
        List<Object> events = history(target);
        events.addAll(List.of(more));
        return events;
    }

    private static RequestState from(ReplacementAction action) {
        return ReplacementTransitions.row(action).from().iterator().next();
    }

    // --- every row ---------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ReplacementAction.class)
    void theRightSagaIdMakesTheTransition(ReplacementAction action) {
        RequestState from = from(action);
        List<Object> given = history(from);
        if (action == BEGIN_COMPLETING) {
            given.add(new ReplacementTargetDeleted(R));
        }
        // a held state is left by its holder; a free one is entered by a new saga
        String saga = ReplacementTransitions.row(action).sagaId() == SagaIdRule.MATCH_AND_CLEAR ? S1 : S2;
        RequestState to = ReplacementTransitions.row(action).to();
        fixture.given(given)
                .when(ask(action, saga))
                .expectEvents(made(action, saga))
                .expectResultMessagePayloadMatching(where("in " + to, ReplacementStatus.class,
                        status -> status.state() == to && (ReplacementTransitions.row(action).sagaId()
                                == SagaIdRule.SET ? saga.equals(status.operatingSagaId())
                                : status.operatingSagaId() == null)));
    }

    @ParameterizedTest
    @EnumSource(ReplacementAction.class)
    void aWrongSagaIdIsLockHeldAndChangesNothing(ReplacementAction action) {
        SagaTransition<ReplacementAction, RequestState> row = ReplacementTransitions.row(action);
        // S1 holds the request: in the row's start state, or in the held state the row competes for
        RequestState held = row.sagaId() == SagaIdRule.MATCH_AND_CLEAR ? from(action)
                : ReplacementTransitions.heldStates().contains(row.to()) ? row.to() : RequestState.ALLOCATING;
        fixture.given(history(held))
                .when(ask(action, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    @ParameterizedTest
    @EnumSource(ReplacementAction.class)
    void aWrongStateIsInvalidStateAndChangesNothing(ReplacementAction action) {
        RequestState wrong = from(action) == RequestState.REQUESTED ? RequestState.COMPLETE : RequestState.REQUESTED;
        fixture.given(history(wrong))
                .when(ask(action, "saga-3"))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    @ParameterizedTest
    @EnumSource(ReplacementAction.class)
    void repeatingTheLastTransitionWithTheSameSagaIdAddsNothing(ReplacementAction action) {
        List<Object> given = history(from(action));
        if (action == BEGIN_COMPLETING) {
            given.add(new ReplacementTargetDeleted(R));
        }
        given.add(made(action, S1));
        RequestState to = ReplacementTransitions.row(action).to();
        fixture.given(given)
                .when(ask(action, S1))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(where("still " + to, ReplacementStatus.class,
                        status -> status.state() == to));
    }

    @Test
    void theSameTransitionByAnotherSagaAfterItWasMadeIsRefused() {
        fixture.given(history(RequestState.REPLACEMENT_DONE))
                .when(ask(FINISH_ALLOCATION, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    // --- unwinds -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = ReplacementAction.class, names = {"UNDO_ALLOCATION", "UNDO_OLD_VOLUME_DELETION",
            "UNDO_COMPLETING"})
    void afterAnUnwindAnotherSagaMayBeginAgain(ReplacementAction undo) {
        RequestState back = ReplacementTransitions.row(undo).to();
        ReplacementAction begin = ReplacementTransitions.requestRows().stream()
                .filter(r -> r.sagaId() == SagaIdRule.SET && r.from().contains(back))
                .findFirst().orElseThrow().action();
        fixture.given(history(from(undo), made(undo, S1)))
                .when(ask(begin, S2))
                .expectEvents(made(begin, S2));
    }

    @Test
    void theUnwoundSagaMayBeginAgainToo() {
        fixture.given(history(RequestState.ALLOCATING, made(UNDO_ALLOCATION, S1)))
                .when(ask(BEGIN_ALLOCATION, S1))
                .expectEvents(made(BEGIN_ALLOCATION, S1));
    }

    @Test
    void anUnwindByAnotherSagaIsLockHeld() {
        fixture.given(history(RequestState.DELETING_OLD_VOLUME))
                .when(ask(UNDO_OLD_VOLUME_DELETION, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    // --- complete-from-requested and the completion guard -------------------------------------

    @Test
    void aRequestWhoseSnapshotIsGoneCompletesStraightFromRequested() {
        fixture.given(history(RequestState.REQUESTED))
                .when(ask(COMPLETE_FROM_REQUESTED, S1))
                .expectEvents(made(COMPLETE_FROM_REQUESTED, S1))
                .expectResultMessagePayloadMatching(where("COMPLETE", ReplacementStatus.class,
                        status -> status.state() == RequestState.COMPLETE));
    }

    @Test
    void completingNeedsTheTargetDeleted() {
        fixture.given(history(RequestState.RUNNING))
                .when(ask(BEGIN_COMPLETING, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    @ParameterizedTest
    @EnumSource(value = StepState.class, names = {"REQUESTED", "RUNNING", "COMPLETE"})
    void completingNeedsEveryStepVolumeDeleted(StepState unsettled) {
        List<Object> given = history(RequestState.RUNNING, new ReplacementTargetDeleted(R),
                new ReplacementStepAdded(R, "vol-a"), new ReplacementStepVolumeDeleted(R, "vol-a"),
                new ReplacementStepAdded(R, V));
        if (unsettled != StepState.REQUESTED) {
            given.add(step(StepAction.BEGIN, S1));
        }
        if (unsettled == StepState.COMPLETE) {
            given.add(step(StepAction.COMPLETE, S1));
        }
        fixture.given(given)
                .when(ask(BEGIN_COMPLETING, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    @Test
    void completingBeginsOnceTheTargetIsDeletedAndEveryStepIsVolumeDeleted() {
        fixture.given(history(RequestState.RUNNING, new ReplacementTargetDeleted(R),
                        new ReplacementStepAdded(R, "vol-a"), new ReplacementStepVolumeDeleted(R, "vol-a"),
                        new ReplacementStepAdded(R, V), step(StepAction.BEGIN, S1), step(StepAction.COMPLETE, S1),
                        step(StepAction.VOLUME_DELETED, "gc-saga")))
                .when(ask(BEGIN_COMPLETING, S2))
                .expectEvents(made(BEGIN_COMPLETING, S2));
    }

    @Test
    void targetDeletedIsRecordedOnce() {
        fixture.given(history(RequestState.RUNNING, new ReplacementTargetDeleted(R)))
                .when(new ReportTargetDeleted(R, null))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("target deleted", ReplacementStatus.class,
                        ReplacementStatus::targetDeleted));
    }

    @Test
    void aNewRequestIsRequested() {
        fixture.givenNoPriorActivity()
                .when(new CreateReplacement(R, "rs-1", "vol-snap"))
                .expectEvents(new ReplacementRequested(R, "rs-1", "vol-snap"));
    }

    // --- steps -------------------------------------------------------------------------------

    private static ReplacementStepTransitioned step(StepAction action, String sagaId) {
        SagaTransition<StepAction, StepState> row = ReplacementTransitions.row(action);
        return new ReplacementStepTransitioned(R, V, action, sagaId, row.to(),
                row.sagaId() == SagaIdRule.SET ? sagaId : null);
    }

    private static TransitionReplacementStep askStep(StepAction action, String sagaId) {
        return new TransitionReplacementStep(R, V, action, sagaId, null);
    }

    /** A RUNNING request with a step for V brought to {@code target} by S1. */
    private static List<Object> stepHistory(StepState target) {
        List<Object> events = history(RequestState.RUNNING, new ReplacementStepAdded(R, V));
        List<StepAction> path = List.of(StepAction.BEGIN, StepAction.COMPLETE, StepAction.VOLUME_DELETED);
        StepState at = StepState.REQUESTED;
        for (StepAction action : path) {
            if (at == target) {
                break;
            }
            events.add(step(action, S1));
            at = ReplacementTransitions.row(action).to();
        }
        return events;
    }

    private static StepState from(StepAction action) {
        return ReplacementTransitions.row(action).from().iterator().next();
    }

    @ParameterizedTest
    @EnumSource(StepAction.class)
    void theRightSagaIdMakesTheStepTransition(StepAction action) {
        String saga = ReplacementTransitions.row(action).sagaId() == SagaIdRule.MATCH_AND_CLEAR ? S1 : S2;
        StepState to = ReplacementTransitions.row(action).to();
        fixture.given(stepHistory(from(action)))
                .when(askStep(action, saga))
                .expectEvents(step(action, saga))
                .expectResultMessagePayloadMatching(where("step " + to, ReplacementStatus.class,
                        status -> status.step(V).state() == to));
    }

    @ParameterizedTest
    @EnumSource(StepAction.class)
    void aWrongSagaIdOnAStepIsLockHeld(StepAction action) {
        // S1 runs the step; every other saga is refused whatever it asks
        fixture.given(stepHistory(StepState.RUNNING))
                .when(askStep(action, S2))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.LOCK_HELD));
    }

    @ParameterizedTest
    @EnumSource(StepAction.class)
    void aWrongStepStateIsInvalidState(StepAction action) {
        StepState wrong = from(action) == StepState.REQUESTED ? StepState.COMPLETE : StepState.REQUESTED;
        fixture.given(stepHistory(wrong))
                .when(askStep(action, "saga-3"))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    @ParameterizedTest
    @EnumSource(StepAction.class)
    void repeatingAStepTransitionWithTheSameSagaIdAddsNothing(StepAction action) {
        List<Object> given = stepHistory(from(action));
        given.add(step(action, S1));
        fixture.given(given)
                .when(askStep(action, S1))
                .expectNoEvents()
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void aStepUndoneByItsSagaCanBeBegunByAnother() {
        fixture.given(stepHistory(StepState.RUNNING, step(StepAction.UNDO, S1)))
                .when(askStep(StepAction.BEGIN, S2))
                .expectEvents(step(StepAction.BEGIN, S2));
    }

    private static List<Object> stepHistory(StepState target, Object... more) {
        List<Object> events = stepHistory(target);
        events.addAll(List.of(more));
        return events;
    }

    @Test
    void anUnknownStepIsNotFound() {
        fixture.given(history(RequestState.RUNNING))
                .when(askStep(StepAction.BEGIN, S1))
                .expectException(rejected(Rejection.Reason.NOT_FOUND));
    }

    @Test
    void aStepIsAddedWhileRunningWithItsLockHeld() {
        fixture.given(history(RequestState.RUNNING))
                .when(new AddReplacementStep(R, V, StepLock.HELD))
                .expectEvents(new ReplacementStepAdded(R, V))
                .expectResultMessagePayloadMatching(where("added, not skipped", ReplacementStatus.class,
                        status -> status.skipped() == null && status.step(V).state() == StepState.REQUESTED));
    }

    @ParameterizedTest
    @EnumSource(value = RequestState.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void stepsAreAddedOnlyWhileRunning(RequestState state) {
        fixture.given(history(state))
                .when(new AddReplacementStep(R, V, StepLock.HELD))
                .expectNoEvents()
                .expectException(rejected(Rejection.Reason.INVALID_STATE));
    }

    @Test
    void aVolumeWithAStepAlreadyIsSkippedAsAlreadyHandled() {
        fixture.given(stepHistory(StepState.RUNNING))
                .when(new AddReplacementStep(R, V, StepLock.HELD))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("skipped: already handled", ReplacementStatus.class,
                        status -> ReplacementStatus.ALREADY_HANDLED.equals(status.skipped())));
    }

    @Test
    void aVolumeAnotherRequestsStepHoldsIsSkippedAsAlreadyHandled() {
        fixture.given(history(RequestState.RUNNING))
                .when(new AddReplacementStep(R, V, StepLock.HELD_BY_ANOTHER_STEP))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("skipped: already handled", ReplacementStatus.class,
                        status -> ReplacementStatus.ALREADY_HANDLED.equals(status.skipped())));
    }

    @Test
    void aDeletedVolumeIsSkippedAsVolumeDeleted() {
        fixture.given(history(RequestState.RUNNING))
                .when(new AddReplacementStep(R, V, StepLock.VOLUME_DELETED))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(where("skipped: volume deleted", ReplacementStatus.class,
                        status -> ReplacementStatus.VOLUME_DELETED.equals(status.skipped())));
    }

    @Test
    void aDeletedVolumesRequestedStepGoesStraightToVolumeDeleted() {
        fixture.given(stepHistory(StepState.REQUESTED))
                .when(new MarkStepVolumeDeleted(R, V))
                .expectEvents(new ReplacementStepVolumeDeleted(R, V))
                .expectResultMessagePayloadMatching(where("VOLUME_DELETED", ReplacementStatus.class,
                        status -> status.step(V).state() == StepState.VOLUME_DELETED));
    }

    @Test
    void aDeletedVolumesRunningStepIsLeftToItsSaga() {
        fixture.given(stepHistory(StepState.RUNNING))
                .when(new MarkStepVolumeDeleted(R, V))
                .expectNoEvents();
    }

    @Test
    void aDeletionThatOvertakesTheStepsAdditionIsRecorded() {
        fixture.given(history(RequestState.RUNNING))
                .when(new MarkStepVolumeDeleted(R, V))
                .expectEvents(new ReplacementStepVolumeDeleted(R, V));
    }
}
