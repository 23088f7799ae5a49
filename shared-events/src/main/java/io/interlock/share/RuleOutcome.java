package io.interlock.share;

/** How the agent reports one rule of a sync batch. */
public enum RuleOutcome {
    OK, ERROR
}
