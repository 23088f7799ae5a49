package io.interlock.replacement;

/**
 * Where a replacement request is. The {@code -ING} states are held by one saga:
 * only the saga id that entered one may leave it. The transitions are in
 * {@link ReplacementTransitions}.
 */
public enum RequestState {
    REQUESTED, ALLOCATING, REPLACEMENT_DONE, DELETING_OLD_VOLUME, RUNNING, COMPLETING, COMPLETE
}
