package io.interlock.instance;

/**
 * Where a finished task leaves {@code vmState}. Most rows name a fixed state; the rest depend on
 * the state the task started from, and these rules say how, so the table stays data.
 */
public record Landing(Rule rule, VmState state) {

    public enum Rule {
        /** always {@link #state()} */
        FIXED,
        /** the vmState the task started from */
        UNCHANGED,
        /** the vmState recorded before a resize */
        PREVIOUS,
        /** STOPPED stays STOPPED, everything else becomes ACTIVE (rebuild, evacuate) */
        STOPPED_STAYS_ELSE_ACTIVE,
        /** RESCUED stays RESCUED, everything else becomes ACTIVE (hard reboot) */
        RESCUED_STAYS_ELSE_ACTIVE,
        /** SHELVED, or SHELVED_OFFLOADED when the caller asked to offload */
        SHELVED_OR_OFFLOADED
    }

    public static Landing to(VmState state) {
        return new Landing(Rule.FIXED, state);
    }

    public static Landing unchanged() {
        return new Landing(Rule.UNCHANGED, null);
    }

    public static Landing of(Rule rule) {
        return new Landing(rule, null);
    }

    public VmState resolve(VmState current, VmState previous, boolean offload) {
        return switch (rule) {
            case FIXED -> state;
            case UNCHANGED -> current;
            case PREVIOUS -> previous == null ? VmState.ACTIVE : previous;
            case STOPPED_STAYS_ELSE_ACTIVE -> current == VmState.STOPPED ? VmState.STOPPED : VmState.ACTIVE;
            case RESCUED_STAYS_ELSE_ACTIVE -> current == VmState.RESCUED ? VmState.RESCUED : VmState.ACTIVE;
            case SHELVED_OR_OFFLOADED -> offload ? VmState.SHELVED_OFFLOADED : VmState.SHELVED;
        };
    }

    /** How the diagram and docs name this landing. */
    public String describe() {
        return switch (rule) {
            case FIXED -> state.name();
            case UNCHANGED -> "unchanged";
            case PREVIOUS -> "previous state";
            case STOPPED_STAYS_ELSE_ACTIVE -> "ACTIVE, or STOPPED if it was STOPPED";
            case RESCUED_STAYS_ELSE_ACTIVE -> "ACTIVE (RESCUED stays RESCUED)";
            case SHELVED_OR_OFFLOADED -> "SHELVED, or SHELVED_OFFLOADED when offload";
        };
    }
}
