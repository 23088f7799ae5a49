package io.interlock.share;

/**
 * One access rule's state. Clients queue changes; the agent claims the queue in a sync
 * ({@code QUEUED_TO_*} to {@code *ING}) and reports each rule's outcome. A denied rule is removed
 * once the deny is applied, so it has no final state here.
 */
public enum AccessRuleState {
    QUEUED_TO_APPLY, APPLYING, ACTIVE, QUEUED_TO_DENY, DENYING, ERROR;

    public boolean queued() {
        return this == QUEUED_TO_APPLY || this == QUEUED_TO_DENY;
    }
}
