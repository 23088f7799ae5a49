package io.interlock.replacement;

/** What a transition demands of the operating saga id, and what it leaves behind. */
public enum SagaIdRule {
    /** No saga may hold the resource; the caller's saga id is recorded (entering an -ING state). */
    SET,
    /** The caller must be the saga that holds the resource; the lock is cleared (forward or unwind). */
    MATCH_AND_CLEAR,
    /** No saga may hold the resource, and none is recorded. */
    NONE_HELD
}
