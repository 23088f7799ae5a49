package io.interlock.command.replacement;

import io.interlock.command.replacement.ReplacementCommands.AddReplacementStep;
import io.interlock.command.replacement.ReplacementCommands.CheckStepMayBeAdded;
import io.interlock.command.replacement.ReplacementCommands.CreateReplacement;
import io.interlock.command.replacement.ReplacementCommands.DescribeReplacement;
import io.interlock.command.replacement.ReplacementCommands.MarkStepVolumeDeleted;
import io.interlock.command.replacement.ReplacementCommands.ReportTargetDeleted;
import io.interlock.command.replacement.ReplacementCommands.StepLock;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacement;
import io.interlock.command.replacement.ReplacementCommands.TransitionReplacementStep;
import io.interlock.command.gateway.Versions;
import io.interlock.lifecycle.Rejection;
import io.interlock.replacement.ReplacementEvents.ReplacementEvent;
import io.interlock.replacement.ReplacementEvents.ReplacementRequested;
import io.interlock.replacement.ReplacementEvents.ReplacementStepAdded;
import io.interlock.replacement.ReplacementEvents.ReplacementStepTransitioned;
import io.interlock.replacement.ReplacementEvents.ReplacementStepVolumeDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTargetDeleted;
import io.interlock.replacement.ReplacementEvents.ReplacementTransitioned;
import io.interlock.replacement.ReplacementAction;
import io.interlock.replacement.ReplacementState;
import io.interlock.replacement.ReplacementTransitions;
import io.interlock.replacement.ReplacementTransitions.Verdict;
import io.interlock.replacement.RequestState;
import io.interlock.replacement.SagaIdRule;
import io.interlock.replacement.SagaTransition;
import io.interlock.replacement.StepAction;
import io.interlock.replacement.StepState;
import io.interlock.command.store.SnapshottedByFields;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.conflictresolution.ConflictResolver;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A region snapshot replacement request with its steps. The operating saga id is a
 * state-based lock: the table decides who may move the request, and a saga that repeats what it
 * already did gets the same answer again without a new event.
 */
@Aggregate(repository = "replacementRepository")
@SnapshottedByFields
public class Replacement {

    public static final String RESOURCE = "replacement";
    static final String STEP_RESOURCE = "replacement-step";

    @AggregateIdentifier
    private String requestId;
    private ReplacementState state;
    private long version;

    protected Replacement() {
        // for Axon: rebuilt from events
    }

    @CommandHandler
    public Replacement(CreateReplacement command) {
        apply(new ReplacementRequested(command.requestId(), command.regionSnapshotId(), command.snapshotVolumeId()));
    }

    @CommandHandler
    public ReplacementStatus handle(TransitionReplacement command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        ReplacementAction action = command.action();
        Verdict verdict = ReplacementTransitions.check(state, action, command.sagaId());
        refuseUnlessAllowed(verdict, RESOURCE, requestId, action.wireName(), state.operatingSagaId(), requestFields());
        if (verdict.applies()) {
            SagaTransition<ReplacementAction, RequestState> row = ReplacementTransitions.row(action);
            apply(new ReplacementTransitioned(requestId, action, command.sagaId(), row.to(),
                    row.sagaId() == SagaIdRule.SET ? command.sagaId() : null, command.parameters()));
        }
        return status();
    }

    @CommandHandler
    public ReplacementStatus handle(ReportTargetDeleted command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        if (!state.targetDeleted()) {
            apply(new ReplacementTargetDeleted(requestId));
        }
        return status();
    }

    @CommandHandler
    public ReplacementStatus handle(CheckStepMayBeAdded command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        requireRunningForSteps();
        return status();
    }

    /** The process holds the volume's lock for this step, or learned why it need not. */
    @CommandHandler
    public ReplacementStatus handle(AddReplacementStep command) {
        requireRunningForSteps();
        if (command.lock() == StepLock.VOLUME_DELETED) {
            return status().skipped(ReplacementStatus.VOLUME_DELETED);
        }
        if (command.lock() == StepLock.HELD_BY_ANOTHER_STEP || state.steps().containsKey(command.volumeId())) {
            return status().skipped(ReplacementStatus.ALREADY_HANDLED);
        }
        apply(new ReplacementStepAdded(requestId, command.volumeId()));
        return status();
    }

    private void requireRunningForSteps() {
        if (state.state() != RequestState.RUNNING) {
            throw new Rejection(Rejection.Reason.INVALID_STATE, RESOURCE, requestId, "add-step", requestFields(),
                    version, state.operatingSagaId() != null,
                    "steps are added only while the request is RUNNING, not " + state.state());
        }
    }

    @CommandHandler
    public ReplacementStatus handle(TransitionReplacementStep command, ConflictResolver conflicts) {
        Versions.rejectIfMovedOn(conflicts);
        ReplacementState.Step step = state.steps().get(command.volumeId());
        String stepId = requestId + "/steps/" + command.volumeId();
        if (step == null) {
            throw Rejection.notFound(STEP_RESOURCE, stepId);
        }
        StepAction action = command.action();
        Verdict verdict = ReplacementTransitions.check(step, action, command.sagaId());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("volumeId", step.volumeId());
        fields.put("state", step.state());
        fields.put("operatingSagaId", step.operatingSagaId());
        fields.put("requestState", state.state());
        refuseUnlessAllowed(verdict, STEP_RESOURCE, stepId, action.wireName(), step.operatingSagaId(), fields);
        if (verdict.applies()) {
            SagaTransition<StepAction, StepState> row = ReplacementTransitions.row(action);
            apply(new ReplacementStepTransitioned(requestId, step.volumeId(), action, command.sagaId(), row.to(),
                    row.sagaId() == SagaIdRule.SET ? command.sagaId() : null));
        }
        return status();
    }

    /**
     * Only a REQUESTED step is settled here: a RUNNING one belongs to its saga, which completes it
     * and gives the lock back. A step that was not added yet is recorded as VOLUME_DELETED, so an
     * add that lost the race to the deletion is skipped rather than left holding a dead volume.
     */
    @CommandHandler
    public ReplacementStatus handle(MarkStepVolumeDeleted command) {
        ReplacementState.Step step = state.steps().get(command.volumeId());
        boolean requested = step != null && step.state() == StepState.REQUESTED;
        boolean notYetAdded = step == null && state.state() == RequestState.RUNNING;
        if (requested || notYetAdded) {
            apply(new ReplacementStepVolumeDeleted(requestId, command.volumeId()));
        }
        return status();
    }

    @CommandHandler
    public ReplacementStatus handle(DescribeReplacement command) {
        return status();
    }

    @EventSourcingHandler
    void on(ReplacementEvent event, @SequenceNumber long sequence) {
        requestId = event.requestId();
        state = ReplacementState.evolve(state, event);
        version = sequence;
    }

    /** Waiting can help when a saga holds the resource: it will finish or unwind. */
    private void refuseUnlessAllowed(Verdict verdict, String resourceType, String resourceId, String action,
                                     String holder, Map<String, Object> fields) {
        switch (verdict.outcome()) {
            case LOCK_HELD -> throw new Rejection(Rejection.Reason.LOCK_HELD, resourceType, resourceId, action, fields,
                    version, true, action + " is refused: " + verdict.refusal());
            case INVALID_STATE -> throw new Rejection(Rejection.Reason.INVALID_STATE, resourceType, resourceId,
                    action, fields, version, holder != null, action + " is not allowed: " + verdict.refusal());
            default -> {
            }
        }
    }

    private Map<String, Object> requestFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", state.state());
        fields.put("operatingSagaId", state.operatingSagaId());
        fields.put("targetDeleted", state.targetDeleted());
        return fields;
    }

    private ReplacementStatus status() {
        return ReplacementStatus.of(state, version);
    }
}
