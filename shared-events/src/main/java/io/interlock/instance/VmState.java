package io.interlock.instance;

/**
 * The instance's power and placement state. Its transitions are in {@link InstanceTransitions};
 * the generated diagram is {@code docs/instance-lifecycle.md}.
 */
public enum VmState {
    BUILDING, ACTIVE, STOPPED, PAUSED, SUSPENDED, RESCUED, RESIZED, SHELVED, SHELVED_OFFLOADED,
    SOFT_DELETED, DELETED, ERROR
}
