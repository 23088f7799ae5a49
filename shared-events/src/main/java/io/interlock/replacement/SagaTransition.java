package io.interlock.replacement;

import java.util.Set;

/**
 * One row of a saga-locked table: the action, the states it may start from, where it leads, and
 * the saga-id rule.
 *
 * @param needsSettledSteps the request must have its target deleted and every step VOLUME_DELETED
 */
public record SagaTransition<A extends Enum<A>, S extends Enum<S>>(A action, Set<S> from, S to, SagaIdRule sagaId,
                                                                   boolean needsSettledSteps) {
}
