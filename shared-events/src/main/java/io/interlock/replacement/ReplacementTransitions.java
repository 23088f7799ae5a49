package io.interlock.replacement;

import io.interlock.lifecycle.Names;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.interlock.replacement.ReplacementAction.*;
import static io.interlock.replacement.RequestState.*;

/**
 * The replacement request and step tables, as data, with the saga-id rule per
 * row. The aggregate asks {@link #check} and turns its answer into events or a rejection.
 */
public final class ReplacementTransitions {

    private static final Map<ReplacementAction, SagaTransition<ReplacementAction, RequestState>> REQUEST =
            new EnumMap<>(ReplacementAction.class);
    private static final Map<StepAction, SagaTransition<StepAction, StepState>> STEP =
            new EnumMap<>(StepAction.class);

    static {
        request(BEGIN_ALLOCATION, REQUESTED, ALLOCATING, SagaIdRule.SET);
        request(UNDO_ALLOCATION, ALLOCATING, REQUESTED, SagaIdRule.MATCH_AND_CLEAR);
        request(FINISH_ALLOCATION, ALLOCATING, REPLACEMENT_DONE, SagaIdRule.MATCH_AND_CLEAR);
        request(BEGIN_OLD_VOLUME_DELETION, REPLACEMENT_DONE, DELETING_OLD_VOLUME, SagaIdRule.SET);
        request(UNDO_OLD_VOLUME_DELETION, DELETING_OLD_VOLUME, REPLACEMENT_DONE, SagaIdRule.MATCH_AND_CLEAR);
        request(FINISH_OLD_VOLUME_DELETION, DELETING_OLD_VOLUME, RUNNING, SagaIdRule.MATCH_AND_CLEAR);
        REQUEST.put(BEGIN_COMPLETING, new SagaTransition<>(BEGIN_COMPLETING, EnumSet.of(RUNNING), COMPLETING,
                SagaIdRule.SET, true));
        request(UNDO_COMPLETING, COMPLETING, RUNNING, SagaIdRule.MATCH_AND_CLEAR);
        request(FINISH_COMPLETING, COMPLETING, COMPLETE, SagaIdRule.MATCH_AND_CLEAR);
        request(COMPLETE_FROM_REQUESTED, REQUESTED, COMPLETE, SagaIdRule.NONE_HELD);

        step(StepAction.BEGIN, StepState.REQUESTED, StepState.RUNNING, SagaIdRule.SET);
        step(StepAction.UNDO, StepState.RUNNING, StepState.REQUESTED, SagaIdRule.MATCH_AND_CLEAR);
        step(StepAction.COMPLETE, StepState.RUNNING, StepState.COMPLETE, SagaIdRule.MATCH_AND_CLEAR);
        step(StepAction.VOLUME_DELETED, StepState.COMPLETE, StepState.VOLUME_DELETED, SagaIdRule.NONE_HELD);
    }

    private ReplacementTransitions() {
    }

    private static void request(ReplacementAction action, RequestState from, RequestState to, SagaIdRule rule) {
        REQUEST.put(action, new SagaTransition<>(action, EnumSet.of(from), to, rule, false));
    }

    private static void step(StepAction action, StepState from, StepState to, SagaIdRule rule) {
        STEP.put(action, new SagaTransition<>(action, EnumSet.of(from), to, rule, false));
    }

    public static SagaTransition<ReplacementAction, RequestState> row(ReplacementAction action) {
        return REQUEST.get(action);
    }

    public static SagaTransition<StepAction, StepState> row(StepAction action) {
        return STEP.get(action);
    }

    public static Collection<SagaTransition<ReplacementAction, RequestState>> requestRows() {
        return REQUEST.values();
    }

    public static Collection<SagaTransition<StepAction, StepState>> stepRows() {
        return STEP.values();
    }

    /** The table's answer for one transition asked by one saga. */
    public record Verdict(Outcome outcome, String refusal) {
        public enum Outcome { APPLY, REPEAT, LOCK_HELD, INVALID_STATE }

        public boolean applies() {
            return outcome == Outcome.APPLY;
        }
    }

    /** May {@code sagaId} make {@code action} on this request now? */
    public static Verdict check(ReplacementState state, ReplacementAction action, String sagaId) {
        SagaTransition<ReplacementAction, RequestState> row = REQUEST.get(action);
        Verdict verdict = check(row, state.state(), state.operatingSagaId(), state.lastAction(), state.lastSagaId(),
                sagaId);
        if (verdict.applies() && row.needsSettledSteps()) {
            if (!state.targetDeleted()) {
                return new Verdict(Verdict.Outcome.INVALID_STATE,
                        "the old region snapshot is still referenced: target-deleted has not been reported");
            }
            if (!state.stepsSettled()) {
                return new Verdict(Verdict.Outcome.INVALID_STATE, "not every step is VOLUME_DELETED");
            }
        }
        return verdict;
    }

    /** May {@code sagaId} make {@code action} on this step now? */
    public static Verdict check(ReplacementState.Step step, StepAction action, String sagaId) {
        return check(STEP.get(action), step.state(), step.operatingSagaId(), step.lastAction(), step.lastSagaId(),
                sagaId);
    }

    /**
     * The state-based lock, the same for requests and steps: a row whose start state matches
     * runs if the saga-id rule holds; a row already made by the same saga is a repeat; anything
     * else is refused, as lock-held when another saga holds the resource.
     */
    static <A extends Enum<A>, S extends Enum<S>> Verdict check(SagaTransition<A, S> row, S current, String holder,
                                                                A lastAction, String lastSagaId, String sagaId) {
        String action = Names.kebab(row.action());
        if (row.from().contains(current)) {
            boolean ok = switch (row.sagaId()) {
                case SET, NONE_HELD -> holder == null;
                case MATCH_AND_CLEAR -> holder != null && holder.equals(sagaId);
            };
            return ok ? new Verdict(Verdict.Outcome.APPLY, null)
                    : new Verdict(Verdict.Outcome.LOCK_HELD, "saga " + holder + " holds it");
        }
        if (lastAction == row.action() && sagaId.equals(lastSagaId) && current == row.to()) {
            return new Verdict(Verdict.Outcome.REPEAT, null);
        }
        if (holder != null && !holder.equals(sagaId)) {
            return new Verdict(Verdict.Outcome.LOCK_HELD, "saga " + holder + " holds it");
        }
        return new Verdict(Verdict.Outcome.INVALID_STATE, action + " is not allowed from " + current);
    }

    /** The request transitions that could run now, by wire name, in table order (read models). */
    public static List<String> allowedActions(ReplacementState state) {
        return REQUEST.values().stream()
                .filter(row -> row.from().contains(state.state()))
                .filter(row -> !row.needsSettledSteps() || (state.targetDeleted() && state.stepsSettled()))
                .map(row -> row.action().wireName())
                .toList();
    }

    /** The step transitions that could run now on {@code step}, by wire name. */
    public static List<String> allowedActions(ReplacementState.Step step) {
        return STEP.values().stream()
                .filter(row -> row.from().contains(step.state()))
                .map(row -> row.action().wireName())
                .toList();
    }

    /** States a saga holds: those a SET row enters. */
    public static Set<RequestState> heldStates() {
        Set<RequestState> held = EnumSet.noneOf(RequestState.class);
        REQUEST.values().stream().filter(r -> r.sagaId() == SagaIdRule.SET).forEach(r -> held.add(r.to()));
        return held;
    }
}
