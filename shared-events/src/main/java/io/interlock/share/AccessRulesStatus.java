package io.interlock.share;

/** The share's summary of its rules: ACTIVE when settled, SYNCING while an agent's sync runs, ERROR when a rule failed. */
public enum AccessRulesStatus {
    ACTIVE, SYNCING, ERROR
}
